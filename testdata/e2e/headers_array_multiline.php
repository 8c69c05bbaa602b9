<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
mail($to, $subject, $body, [
    'Reply-To' => 'help@example.org',
    'X-Mailer' => 'site/1.0',
]);
