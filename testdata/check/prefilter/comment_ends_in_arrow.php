<?php
$x = 1; # ->
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
