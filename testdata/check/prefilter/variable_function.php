<?php
$f = "\\MAIL"; // expect: unanalyzable-mail-call
$f($to, $subject, $body);
