<?php
// Nothing here is a call of the builtin mail()/mb_send_mail(): no line may
// have a finding, except the first-class callables at the end, which are
// reported at info level as unanalyzable (never as missing-*).

// Methods, nullsafe methods, static methods, constructors.
$mailer->mail($to, $subject, $body);
$mailer?->mail($to, $subject, $body);
$mailer -> mail ($to, $subject, $body);
$mailer->Mail($to, $subject, $body);
$this->mailer->mb_send_mail($to, $subject, $body);
Mailer::mail($to, $subject, $body);
static::mail($to, $subject, $body);
parent::MAIL($to, $subject, $body);
$class::mail($to, $subject, $body);
$m = new Mail($to, $subject, $body);
$m = new \Mail($to);
$m = new mb_send_mail();

// Declarations.
class Mailer
{
    public function mail($to, $subject, $body) { return true; }
    public static function mb_send_mail($to) { return true; }
    const mail = 'mail';
}
interface Sends { public function mail($to, $subject, $body); }
trait SendsMail { abstract public function mail($to, $subject, $body); }
enum Transport { case mail; }
$fn = function ($mail) { return $mail; };

// Other functions whose names contain mail.
wp_mail($to, $subject, $body);
email($to);
mailer($to);
send_mail($to, $subject, $body);
mail_queue($to);
imap_mail($to, $subject, $body);
error_log('mail failed', 1, 'admin@example.org');
Other\Ns\mail($to, $subject, $body);
\Other\mail($to, $subject, $body);

// Variables and properties.
$mail = new PHPMailer();
$mail->send();
$this->mail = true;
echo $mailer->mail;
echo Mailer::mail;

// Text in strings, comments and heredocs.
echo 'mail($to, $subject, $body)';
echo "mail($to, $subject, $body)";
echo "call \mail() yourself";
// mail($to, $subject, $body);
# mail($to, $subject, $body);
/* mail($to, $subject, $body); */
/** @see mail() */
echo <<<TXT
    mail(\$to, \$subject, \$body);
    TXT;
echo <<<'TXT'
    mb_send_mail($to, $subject, $body);
    TXT;
?>
<p>Inline HTML: mail($to, $subject, $body); <a href="mailto:a@example.org">mail(</a></p>
<script>mail("x")</script>
<?php
// First-class callables: taken now, called later; info only.
$send = mail(...); // expect: unanalyzable-mail-call
$send = \mb_send_mail(...); // expect: unanalyzable-mail-call
