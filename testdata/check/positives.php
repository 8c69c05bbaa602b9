<?php
// Calls of the builtin mail()/mb_send_mail() that every rule must see.
// Convention for the tests: a line holding the start of a call's name ends
// with `expect:` and the rules reported there; lines without `expect:` must
// have no finding.

// The name in any letter case, fully qualified, silenced with @.
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
Mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
MAIL($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
\mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
@mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
$sent = @\MAIL($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
mb_send_mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
Mb_Send_Mail($to, $subject, $body, 'From: shop@example.org'); // expect: missing-envelope-sender
if (!mail($to, $subject, $body, "From: a@example.org\r\n", '-fa@example.org')) { // expect:
    echo 'failed';
}

// Spread over several lines, comments between the name and the parenthesis.
mail( // expect: missing-envelope-sender missing-from-header
    $to,
    $subject,
    $body
);
mail /* why not */ ($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
mail // a line comment, expect:
    ($to, $subject, $body, 'From: a@example.org', '-fa@example.org');
mail # a hash comment, expect: missing-from-header
    ($to, $subject, $body, 'Reply-To: a@example.org', '-fa@example.org');
echo "sent: " . mail($to, $subject, $body, 'From: a@example.org'); // expect: missing-envelope-sender

// Named arguments count as the 4th and 5th argument.
mail($to, $subject, $body, additional_params: '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, additional_headers: 'From: a@example.org'); // expect: missing-envelope-sender
mail(message: $body, additional_params: '-f a@example.org', subject: $subject, to: $to, additional_headers: ['From' => 'a@example.org']); // expect:
mail(to: $to, subject: $subject, message: $body); // expect: missing-envelope-sender missing-from-header
mail($to, $subject, $body, additional_params: $params); // expect: dynamic-envelope-sender missing-from-header

// Constant headers: single and double quotes, concatenation, heredoc, nowdoc.
mail($to, $subject, $body, 'From: a@example.org', '-fa@example.org'); // expect:
mail($to, $subject, $body, "from: a@example.org", '-fa@example.org'); // expect:
mail($to, $subject, $body, "FROM:a@example.org", '-fa@example.org'); // expect:
mail($to, $subject, $body, 'Reply-To: a@example.org', '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, "Reply-To: a@example.org\r\nFrom: b@example.org", '-fa@example.org'); // expect:
mail($to, $subject, $body, 'Reply-To: a@example.org' . "\r\n" . 'From: b@example.org', '-fa@example.org'); // expect:
mail($to, $subject, $body, 'X-Note: mail from: nobody', '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, "Fromage: brie", '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, "X-A: 1\r\n From: continuation line", '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, 'Reply-To: a@example.org\r\nFrom: b@example.org', '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, '', '-fa@example.org'); // expect: missing-from-header
mail( // expect:
    $to, $subject, $body, <<<HEADERS
    Reply-To: a@example.org
    From: b@example.org
    HEADERS, '-fa@example.org');
mail( // expect: missing-from-header
    $to, $subject, $body, <<<'HEADERS'
    Reply-To: a@example.org
    X-Mailer: none
    HEADERS, '-fa@example.org');
mail( // expect: missing-from-header
    $to, $subject, $body, <<<"HEADERS"
Reply-To: a@example.org
HEADERS
, '-fa@example.org');

// Constant arrays: a From key (any case) or none.
mail($to, $subject, $body, ['From' => 'a@example.org'], '-fa@example.org'); // expect:
mail($to, $subject, $body, array('from' => 'a@example.org', 'Reply-To' => 'b@example.org'), '-fa@example.org'); // expect:
mail($to, $subject, $body, ['Reply-To' => 'b@example.org'], '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, array(), '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, ['From: a@example.org'], '-fa@example.org'); // expect: missing-from-header
// Constant keys with dynamic values: the header names are still known.
mail($to, $subject, $body, array('Reply-To' => $reply), '-fa@example.org'); // expect: missing-from-header
mail($to, $subject, $body, array('From' => $from, 'Reply-To' => $reply), '-fa@example.org'); // expect:

// Dynamic headers: unknown, so no From finding.
mail($to, $subject, $body, $headers, '-fa@example.org'); // expect:
mail($to, $subject, $body, "From: $from", '-fa@example.org'); // expect:
mail($to, $subject, $body, implode("\r\n", $lines), '-fa@example.org'); // expect:

// The 5th argument: -f or -r in a constant, nothing, or a dynamic value.
mail($to, $subject, $body, 'From: a@example.org', '-f a@example.org'); // expect:
mail($to, $subject, $body, 'From: a@example.org', '-oi -fa@example.org'); // expect:
mail($to, $subject, $body, 'From: a@example.org', '-ra@example.org'); // expect:
mail($to, $subject, $body, 'From: a@example.org', "-f" . 'a@example.org'); // expect:
mail( // expect:
    $to, $subject, $body, 'From: a@example.org', <<<'P'
    -fa@example.org
    P);
mail($to, $subject, $body, 'From: a@example.org', '-oi'); // expect: missing-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', '-F "Shop"'); // expect: missing-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', ''); // expect: missing-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', null); // expect: missing-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', "-f" . $to); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', "-f$to"); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', '-f' . $_POST['email']); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', "-f{$_GET['from']}"); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', $params); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', sprintf('-f%s', $sender)); // expect: dynamic-envelope-sender
mail($user->email, $subject, $body, 'From: a@example.org', '-f' . $user->email); // expect: dynamic-envelope-sender
mail($config['to'], $subject, $body, 'From: a@example.org', '-f' . $config['from']); // expect: dynamic-envelope-sender
mb_send_mail($to, $subject, $body, $headers, '-f' . $to); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', '-f' . trim($to)); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', '-f' . $to_admin); // expect: dynamic-envelope-sender
mail($list[0], $subject, $body, 'From: a@example.org', '-f' . $list[0]); // expect: dynamic-envelope-sender
mail($_POST['to'], $subject, $body, 'From: a@example.org', "-f{$_POST['to']}"); // expect: dynamic-envelope-sender
mail('a@example.org', $subject, $body, 'From: a@example.org', "a@example.org" . $more); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', '-f' . $_SERVER['SERVER_ADMIN']); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', '-f' . getenv('SENDER') . $_ENV['X']); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'From: a@example.org', ' '); // expect: missing-envelope-sender

// PHP_EOL is a constant line break: these headers are known.
mail($to, $subject, $body, 'Reply-To: a@example.org' . PHP_EOL . 'X-Mailer: site'); // expect: missing-envelope-sender missing-from-header
mail($to, $subject, $body, 'From: a@example.org' . PHP_EOL . 'X-Mailer: site', '-fa@example.org');
