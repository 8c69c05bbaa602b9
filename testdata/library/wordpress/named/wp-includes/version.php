<?php
/**
 * The WordPress version string.
 */
$wp_version = '5.5.3';
