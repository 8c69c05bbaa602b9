<?php
/*
 * Plugin Name: phpmailfix e2e contact form
 * Description: What a careless contact form does: mails the site owner
 * "from" the visitor who filled in the form.
 *
 * The end-to-end test puts this file in wp-content/mu-plugins/ for the
 * scenarios with a visitor's From.
 */
function phpmailfix_e2e_visitor_from($from)
{
    return 'visitor@gmail.com';
}
add_filter('wp_mail_from', 'phpmailfix_e2e_visitor_from');
