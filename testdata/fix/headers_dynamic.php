<?php
// Headers built at run time: From cannot be verified, only -f is added.
$headers = 'From: ' . $site->sender() . "\r\n";
$headers .= 'Reply-To: ' . $_POST['email'];
mail($to, 'Contact form', $body, $headers);
