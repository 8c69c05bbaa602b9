<?php
/*
 * Installs the WordPress site at ARGV[1] (its wp-config.php already points
 * at an empty database), as the installer's last step does, without a web
 * server.
 *
 *   php install.php WP_ROOT
 *
 * wp_install() mails the admin; run this with sendmail_path pointing at a
 * capture script. Exits 1, with the reason on stderr, when it fails.
 */
define('WP_INSTALLING', true);
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$result = wp_install('phpmailfix e2e', 'admin', 'admin@blog.example.test', true, '', 'password');
if (!is_array($result) || !is_blog_installed()) {
    fwrite(STDERR, "wp_install failed\n");
    exit(1);
}
