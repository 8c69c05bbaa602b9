<!DOCTYPE html>
<html>
<body>
<?php if ($_SERVER['REQUEST_METHOD'] === 'POST'): ?>
  <?php $ok = mail($owner, 'Contact', $_POST['message']) ?>
  <p><?= $ok ? 'Sent' : 'Not sent' ?>. mail(this is text, not a call)</p>
  <?= mail($owner, 'Copy', $_POST['message']) ? 'copied' : '' ?>
<?php endif; ?>
</body>
</html>
