<?php
call_user_func('mail' /* the builtin */, $to, $subject, $body); // expect: unanalyzable-mail-call
