<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
mail($to, $subject, $body, 'From: Client <sales@client.fr>');
