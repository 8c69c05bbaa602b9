<?php
// `use Some\Ns\{function mail};` imports a function inside a mixed group.
namespace App\Contact;

use App\Mailer\{Transport, function mail, const SENDER};

mail($to, $subject, $body);
mb_send_mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
