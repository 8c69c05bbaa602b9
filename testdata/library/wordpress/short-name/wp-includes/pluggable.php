<?php
// A reduced wp_mail() in the shape of WordPress 6.1.1, written for
// phpmailfix's tests: how it hands the From address to PHPMailer.
if (!function_exists('wp_mail')) :
    function wp_mail($to, $subject, $message, $headers = '', $attachments = array())
    {
        global $phpmailer;
        if (!($phpmailer instanceof PHPMailer)) {
            $phpmailer = new PHPMailer(true);
        }
        $sitename = strtolower(parse_url(network_home_url(), PHP_URL_HOST));
        if ('www.' === substr($sitename, 0, 4)) {
            $sitename = substr($sitename, 4);
        }
        $from_email = apply_filters('wp_mail_from', 'wordpress@' . $sitename);
        $from_name = apply_filters('wp_mail_from_name', 'WordPress');
        $phpmailer->setFrom($from_email, $from_name, false); // expect:

        $phpmailer->addAddress($to);
        $phpmailer->Subject = $subject;
        $phpmailer->Body = $message;
        do_action_ref_array('phpmailer_init', array(&$phpmailer));
        return $phpmailer->send();
    }
endif;
