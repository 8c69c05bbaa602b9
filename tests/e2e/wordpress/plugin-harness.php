<?php
// Runs the generated must-use plugin (argv[1]) outside WordPress, with
// stand-ins for the few WordPress functions it calls, and prints what it
// did to each message as JSON lines: the plugin's own logic, case by case.
//
//   php -d sendmail_path=... plugin-harness.php PLUGIN HOME_URL NETWORK_URL FROM...
define('ABSPATH', '/');
$GLOBALS['harness_hooks'] = array();

function add_action($hook, $callback, $priority = 10)
{
    $GLOBALS['harness_hooks'][$hook][] = $callback;
}

function add_filter($hook, $callback, $priority = 10)
{
    add_action($hook, $callback, $priority);
}

function home_url()
{
    return $GLOBALS['argv'][2];
}

function network_home_url()
{
    return $GLOBALS['argv'][3];
}

function is_email($address)
{
    return false !== filter_var($address, FILTER_VALIDATE_EMAIL);
}

class HarnessMailer
{
    public $From = '';
    public $Sender = '';

    public static function validateAddress($address)
    {
        return is_email($address);
    }
}

require $argv[1];
// One mailer for every message, as WordPress keeps its global $phpmailer.
$mailer = new HarnessMailer();
foreach (array_slice($argv, 4) as $from) {
    if (isset($GLOBALS['harness_hooks']['wp_mail_from'])) {
        foreach ($GLOBALS['harness_hooks']['wp_mail_from'] as $filter) {
            $from = call_user_func($filter, $from);
        }
    }
    $mailer->From = $from;
    foreach ($GLOBALS['harness_hooks']['phpmailer_init'] as $callback) {
        call_user_func($callback, $mailer);
    }
    echo json_encode(array('from' => $mailer->From, 'sender' => $mailer->Sender)), "\n";
}
