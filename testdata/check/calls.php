<?php
// What `calls` says of each call: headers and envelope sender absent,
// constant (with the value) or dynamic.
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
mail($to, $subject, $body, "From: a@example.org\r\nReply-To: b@example.org", '-fa@example.org'); // expect:
mb_send_mail($to, $subject, $body, ['From' => 'a@example.org', 'X-Priority' => '1'], '-oi'); // expect: missing-envelope-sender
mail($to, $subject, $body, $headers, '-f' . $to); // expect: dynamic-envelope-sender
mail($to, $subject, $body, 'Reply-To: b@example.org', '-f' . $_POST['from']); // expect: dynamic-envelope-sender missing-from-header
mail(to: $to, subject: $subject, message: $body, additional_params: "-f a@example.org"); // expect: missing-from-header
