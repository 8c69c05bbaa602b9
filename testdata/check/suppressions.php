<?php
// Suppression comments: `phpmailfix-ignore` silences every rule of the call
// on its line, or of the next line when it stands alone; a list after a
// colon silences only those rules.

mail($to, $subject, $body); // phpmailfix-ignore
// phpmailfix-ignore
mail($to, $subject, $body);
# phpmailfix-ignore: missing-from-header
mail($to, $subject, $body); // expect: missing-envelope-sender
/* phpmailfix-ignore: missing-envelope-sender, missing-from-header */
mail($to, $subject, $body);
// phpmailfix-ignore: missing-from-header -- the mail server adds it
mail($to, $subject, $body); // expect: missing-envelope-sender

// Not a suppression: a string, and a comment two lines above.
$note = '// phpmailfix-ignore';
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
// phpmailfix-ignore

mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header
