<?php
/**
 * The WordPress version string.
 */
$wp_version = '3.9.2';
