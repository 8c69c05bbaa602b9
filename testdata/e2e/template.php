<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$body = "Hello,\n\nsomeone wrote through the form.\n";
?>
<html>
<body>
<?php if (mail($to, $subject, $body)): ?>
  <p>Thank you, your message was sent. mail(this is text)</p>
<?php endif ?>
</body>
</html>
