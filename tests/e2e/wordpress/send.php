<?php
/*
 * Loads the WordPress site at ARGV[1], with its must-use plugins, and sends
 * one mail with wp_mail(), as a plugin or theme would.
 *
 *   php -d sendmail_path=... send.php WP_ROOT
 *
 * Exits 1, with PHPMailer's error on stderr, when wp_mail() fails.
 */
require $argv[1] . '/wp-load.php';

function phpmailfix_e2e_failed($error)
{
    fwrite(STDERR, 'wp_mail failed: ' . $error->get_error_message() . "\n");
}
add_action('wp_mail_failed', 'phpmailfix_e2e_failed');

if (!wp_mail('someone@example.org', 'subject', 'body')) {
    exit(1);
}
