<?php
// An application's contact form on top of PHPMailer.
use PHPMailer\PHPMailer\PHPMailer;

function send_contact($name, $text)
{
    $mail = new PHPMailer(true);
    $mail->setFrom('contact@example.org', 'Contact form', false); // expect: missing-envelope-sender
    $mail->addAddress('owner@example.org');
    $mail->Body = $name . ': ' . $text;
    return $mail->send();
}

function send_newsletter($to)
{
    $mail = new PHPMailer(true);
    $mail->setFrom('news@example.org', 'News', false); // expect:
    $mail->Sender = 'bounces@example.org';
    $mail->addAddress($to);
    return $mail->send();
}

function send_receipt($to)
{
    $mail = new PHPMailer(true);
    $mail->setFrom('shop@example.org', 'Shop'); // expect:
    $mail->addAddress($to);
    return $mail->send();
}

function send_invoice($to)
{
    // A mailer whose variable does not say "mail", and false written 0.
    $m = new PHPMailer(true);
    $m->setFrom('billing@example.org', 'Billing', 0); // expect: missing-envelope-sender
    $m->addAddress($to);
    return $m->send();
}
