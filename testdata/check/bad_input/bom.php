<?php mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
// A UTF-8 byte order mark before the open tag; columns do not count it.
mail($to, $subject, $body, 'From: a@example.org', '-fa@example.org'); // expect:
mail($to, 'Café', $body, 'From: Café <a@example.org>'); // expect: missing-envelope-sender
