<?php
$to = 'owner@example.org';
$subject = 'Contact form';
$name = 'Ada';
mail($to, $subject, <<<TEXT
Hello,

$name wrote through the form.
TEXT
);
