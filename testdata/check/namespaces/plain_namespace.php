<?php
// A namespace without its own mail(): PHP falls back to the global function.
namespace App\Contact;

use App\Mailer\mail;
use const App\Config\mail;

mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
namespace\mail($to, $subject, $body);
