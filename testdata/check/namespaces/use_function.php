<?php
// `use function Some\Ns\mail;` makes the unqualified name that function.
namespace App\Contact;

use function App\Mailer\mail;

mail($to, $subject, $body);
MAIL($to, $subject, $body);
\mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
mb_send_mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
