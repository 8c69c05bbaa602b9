<?php
/**
 * The WordPress version string.
 */
$wp_version = '6.9.0';
