<?php
// One entry per line: the From entry gets a line of its own.
$sent = mail($to, 'Ticket #42', $text, [
    'Reply-To' => 'support@example.org',
    'X-Ticket' => '42',
]);
