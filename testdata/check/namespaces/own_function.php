<?php
// A namespace that defines its own mail(): unqualified calls are that
// function, not the builtin; \mail() is still the builtin.
namespace App\Mailer;

function mail($to, $subject, $body)
{
    return \mail($to, $subject, $body, 'From: app@example.org'); // expect: missing-envelope-sender
}

function MB_SEND_MAIL($to) { return true; }

mail($to, $subject, $body);
Mail($to, $subject, $body);
mb_send_mail($to);
namespace\mail($to, $subject, $body);
\App\Mailer\mail($to, $subject, $body);
