<?php
// A file with syntax errors: the calls in its intact parts are still found.
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header

$broken = ;
mail($to, $subject, $body, 'From: a@example.org'); // expect: missing-envelope-sender

function unfinished($a {
    return 1;
}

mail($to, $subject, $body, 'Reply-To: a@example.org', '-fa@example.org'); // expect: missing-from-header

if ($x)) {
    echo 'x';
}

class Broken {
    public function send( {
    }
}

mb_send_mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header

$a = [1, 2
mail($to, $subject, $body, 'From: a@example.org', '-f' . $to); // expect: dynamic-envelope-sender
