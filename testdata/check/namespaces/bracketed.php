<?php
// Bracketed namespaces: each block has its own functions and imports.
namespace App\Own {
    function mail($to, $subject, $body) { return true; }

    mail($to, $subject, $body);
    \mail($to, $subject, $body, 'From: a@example.org', '-fa@example.org'); // expect:
}

namespace App\Other {
    mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
}

namespace App\Imports {
    use function App\Own\mail;

    mail($to, $subject, $body);
}

namespace App\Own {
    // The same namespace again, in a second block: still its own mail().
    mail($to, $subject, $body);
}

namespace {
    // The global namespace: the builtin, and namespace\mail is the builtin.
    mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
    namespace\mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
}
