<?php
// `use function X\y as mail;` and group imports shadow the builtin too;
// an import of mail under another name does not.
namespace App\Contact;

use function App\Mailer\send as mail;
use function App\Mb\{other, mb_send_mail};
use function App\Util\mail as sendit;

mail($to, $subject, $body);
mb_send_mail($to, $subject, $body);
sendit($to, $subject, $body);
