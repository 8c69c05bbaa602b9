<?php
/*
 * Plugin Name: Bounce address
 * Description: Its phpmailer_init handler names the mailer $pm, not $phpmailer.
 */
class Bounce_Address
{
    public function __construct()
    {
        add_action('phpmailer_init', array($this, 'configure'));
    }

    public function configure($pm)
    {
        $pm->Sender = 'bounce@example.org';
    }
}

new Bounce_Address();
