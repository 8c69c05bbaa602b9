<?php
namespace App\Mail;

// \mail is always the builtin, even inside a namespace.
function send($to, $subject, $text)
{
    return \mail($to, $subject, $text);
}
