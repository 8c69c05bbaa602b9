<?php
// No namespace, but an import: the unqualified name is the imported one.
use function App\Mailer\mail;

mail($to, $subject, $body);
\mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
namespace\mb_send_mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
