<?php
// Two unbracketed namespaces in one file: the declaration in the first
// does not shadow mail() in the second.
namespace First;

function mail($to) { return true; }

mail($to);

namespace Second;

mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
