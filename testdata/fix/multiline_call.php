<?php
// One argument per line: new arguments follow the layout.
function notify($to, $subject, $text)
{
    return mail(
        $to,
        $subject,
        $text
    );
}
