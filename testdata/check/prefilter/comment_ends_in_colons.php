<?php
// See Mailer::
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
