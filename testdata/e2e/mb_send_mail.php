<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
mb_language('uni');
mb_send_mail($to, $subject, $body, 'X-Mailer: site/1.0');
