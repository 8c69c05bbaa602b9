<?php
// Only mail() is defined here, so mb_send_mail() is still the builtin; and
// a namespace that does not define mail() calls the builtin unqualified.
namespace App\Mailer;

if (!function_exists(__NAMESPACE__ . '\mail')) {
    function mail($to, $subject, $body) { return true; }
}

mail($to, $subject, $body);
mb_send_mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
