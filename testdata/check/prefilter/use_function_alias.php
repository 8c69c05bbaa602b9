<?php
namespace App;

use function mail as send;

send($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
