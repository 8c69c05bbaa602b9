<html>
<body>
<?php foreach ($subscribers as $email): ?>
  <?php MB_SEND_MAIL($email, 'News', $text, array('Reply-To' => 'news@example.org')); ?>
<?php endforeach; ?>
<p>Sent. mail(this is HTML, not a call)</p>
<?php
$send = 'mail';
$send($admin, 'Report', 'Newsletter sent', 'From: news@example.org');
$mailer->mail($admin, 'not the builtin');
