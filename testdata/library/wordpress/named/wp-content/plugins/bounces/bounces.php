<?php
/*
 * Plugin Name: Bounces
 */
function bounces_envelope_sender($phpmailer)
{
    $phpmailer->Sender = get_option('admin_email');
}
add_action( 'phpmailer_init', 'bounces_envelope_sender' );
