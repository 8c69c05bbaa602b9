<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
mail($to, $subject, $body, <<<HEADERS
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
HEADERS
);
