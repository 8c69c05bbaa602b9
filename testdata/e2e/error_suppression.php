<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
if (!@mail($to, $subject, $body)) {
    exit(1);
}
