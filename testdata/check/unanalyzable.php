<?php
// Calls the tool cannot read: reported at info level, never passed over.

mail(...$args); // expect: unanalyzable-mail-call
mail($to, ...$rest); // expect: unanalyzable-mail-call
\mb_send_mail(...$args); // expect: unanalyzable-mail-call

call_user_func('mail', $to, $subject, $body); // expect: unanalyzable-mail-call
call_user_func("MAIL", $to, $subject, $body); // expect: unanalyzable-mail-call
call_user_func('\mail', $to, $subject, $body); // expect: unanalyzable-mail-call
\call_user_func('mb_send_mail', $to, $subject, $body); // expect: unanalyzable-mail-call
Call_User_Func_Array('mail', [$to, $subject, $body]); // expect: unanalyzable-mail-call
call_user_func_array('mb_send_mail', $args); // expect: unanalyzable-mail-call

$f = 'mail'; // expect: unanalyzable-mail-call
$f($to, $subject, $body);
$g = "\\MB_SEND_MAIL"; // expect: unanalyzable-mail-call
$g($to, $subject, $body);

// Not mail: other callbacks, and a name that is never called.
call_user_func('wp_mail', $to, $subject, $body);
call_user_func('App\mail', $to, $subject, $body);
call_user_func([$mailer, 'mail'], $to, $subject, $body);
call_user_func($callback, $to, $subject, $body);
$label = 'mail';
echo $label;
