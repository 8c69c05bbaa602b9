<?php
$ok = @\Mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
