<?php
// Row 1 of the rewrite table: no headers, no params.
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Someone wrote:\n\n" . $_POST['message'];

if (mail($to, $subject, $body)) {
    echo 'Thank you!';
}
