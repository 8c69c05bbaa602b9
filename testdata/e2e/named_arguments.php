<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
mail(message: $body, to: $to, subject: $subject);
