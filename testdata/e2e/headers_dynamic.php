<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
$site = 'Example site <contact@client.fr>';
$headers = "From: $site\r\nReply-To: help@example.org";
mail($to, $subject, $body, $headers);
