<?php
// Saved on Windows: every line ends in CR LF.
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
mail( // expect: missing-from-header
    $to,
    $subject,
    $body,
    <<<HEADERS
    Reply-To: a@example.org
    X-Mailer: none
    HEADERS,
    '-fa@example.org'
);
mail( // expect:
    $to, $subject, $body, <<<HEADERS
    Reply-To: a@example.org
    From: b@example.org
    HEADERS, '-fb@example.org');
mail # expect: missing-envelope-sender
    ($to, $subject, $body, "Reply-To: a@example.org\r\nFrom: b@example.org\r\n");
