<?php
// Calls fix cannot read or complete: listed as not fixed, never changed.
mail(...$arguments);
call_user_func('mail', $to, $subject, $text);
$send = 'mail';
$send($to, $subject, $text);
$later = mail(...);
mail($to, $subject);
