<?php
/**
 * The WordPress version string.
 */
$wp_version = '6.1.1';
