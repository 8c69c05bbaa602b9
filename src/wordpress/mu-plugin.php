<?php
/**
 * Plugin Name: phpmailfix envelope sender
 * Plugin URI: {{DOCS}}
 * Description: Gives the mail WordPress sends an envelope sender (Return-Path), so that receivers stop rejecting it: sets PHPMailer's Sender when it is empty.
 * Version: {{VERSION}}
 * Author: phpmailfix
 *
 * {{MARKER}} {{VERSION}}.
 * Regenerate it with `phpmailfix mu-plugin` rather than editing it.
 * To remove it, delete this file: must-use plugins have no deactivation
 * step.
 *
 * When PHPMailer's Sender is empty (wp_mail() leaves it so), mail() runs
 * sendmail without -f and the Return-Path becomes the system user
 * (www-data@host). This plugin sets Sender to
 * {{MODE}};
 * only to an address that PHPMailer accepts and that is shell-safe
 * (letters, digits, @ . _ -), and never when sendmail_path already passes
 * -f. It never copies a visitor's address (a contact form's From) into the
 * envelope.
 *
 * Runs on PHP 5.3+ and WordPress 2.8+.
 */

if (!defined('ABSPATH')) {
    exit;
}

if (!function_exists('phpmailfix_envelope_sender')) {
    /**
     * The envelope sender given to phpmailfix, or '' for none.
     */
    function phpmailfix_configured_sender()
    {
        return '{{FROM}}';
    }

    /**
     * The host of a URL, lower case, without www.
     */
    function phpmailfix_domain_of($url)
    {
        $host = strtolower((string) parse_url((string) $url, PHP_URL_HOST));
        if ('www.' === substr($host, 0, 4)) {
            $host = substr($host, 4);
        }
        return $host;
    }

    /**
     * The site's own domains: its home URL's, and on a multisite network
     * the network's, which WordPress uses for its default From.
     */
    function phpmailfix_site_domains()
    {
        $home = function_exists('home_url') ? home_url() : get_option('home');
        $network = function_exists('network_home_url') ? network_home_url() : $home;
        $domains = array(phpmailfix_domain_of($home), phpmailfix_domain_of($network));
        return array_unique(array_filter($domains));
    }

    /**
     * What PHPMailer's isShellSafe() lets through to sendmail's -f.
     */
    function phpmailfix_shell_safe($address)
    {
        return is_string($address) && 1 === preg_match('/\A[A-Za-z0-9@._-]+\z/', $address);
    }

    /**
     * phpmailer_init: fills in an empty Sender. WordPress reuses its
     * PHPMailer from one wp_mail() to the next, so a Sender this function
     * set for an earlier message counts as empty.
     */
    function phpmailfix_envelope_sender($phpmailer)
    {
        static $ours = null;
        if (!is_object($phpmailer)) {
            return;
        }
        if (null !== $ours && $phpmailer->Sender === $ours) {
            $phpmailer->Sender = '';
        }
        if (!empty($phpmailer->Sender)) {
            return;
        }
        if (preg_match('/(^|\s)(-f|-r|--from)/', (string) ini_get('sendmail_path'))) {
            return;
        }
        $sender = phpmailfix_configured_sender();
        if ('' === $sender) {
            $from = (string) $phpmailer->From;
            $at = strrpos($from, '@');
            if (false === $at || !in_array(strtolower(substr($from, $at + 1)), phpmailfix_site_domains(), true)) {
                return;
            }
            $sender = $from;
        }
        if (!phpmailfix_shell_safe($sender)) {
            return;
        }
        if (method_exists($phpmailer, 'validateAddress')) {
            $valid = $phpmailer->validateAddress($sender);
        } else {
            $valid = is_email($sender);
        }
        if ($valid) {
            $phpmailer->Sender = $sender;
            $ours = $sender;
        }
    }

    // Late, so that a Sender set by another plugin is kept.
    add_action('phpmailer_init', 'phpmailfix_envelope_sender', 1000);
{{FROM_FILTER}}
}
