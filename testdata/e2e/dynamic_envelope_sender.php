<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
$sender = 'bounces@client.fr';
mail($to, $subject, $body, 'X-Mailer: site/1.0', '-f' . $sender);
