<?php
// A theme that sends through the agency's relay: SMTP uses From as the
// envelope sender.
class Agency_Mail
{
    public function __construct()
    {
        add_action('phpmailer_init', array($this, 'relay'));
    }

    public function relay($phpmailer)
    {
        $phpmailer->isSMTP();
        $phpmailer->Host = 'relay.example.org';
    }
}
new Agency_Mail();
