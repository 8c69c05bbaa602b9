<?php
// PHP reads `--` before `->`: this is $i-- > mail(...).
$i-->mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
