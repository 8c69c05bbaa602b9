<?php
// Sends one message through the PHPMailer class in the file argv[1], with
// its mail() transport, From set by setFrom(argv[2], 'Site', false) so
// that Sender stays empty: what wp_mail() and many applications do. An
// optional argv[3] is a Sender the application sets itself.
//
//   php -d sendmail_path=... send.php path/to/PHPMailer.php site@example.org [sender]
$dir = dirname($argv[1]);
if (is_file($dir . '/Exception.php')) {
    require $dir . '/Exception.php';
}
require $argv[1];
$class = class_exists('PHPMailer\PHPMailer\PHPMailer') ? 'PHPMailer\PHPMailer\PHPMailer' : 'PHPMailer';
$mail = new $class();
if (method_exists($mail, 'isMail')) {
    $mail->isMail();
}
$mail->setFrom($argv[2], 'Site', false);
if (isset($argv[3])) {
    $mail->Sender = $argv[3];
}
$mail->addAddress('someone@example.net');
$mail->Subject = 'phpmailfix test';
$mail->Body = 'Hello';
if (!$mail->send()) {
    fwrite(STDERR, "send failed\n");
    exit(1);
}
