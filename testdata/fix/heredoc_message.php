<?php
// The message is the last argument and a heredoc: before PHP 7.3 nothing
// may follow its closing marker on the same line.
function welcome($to, $name)
{
    return mail($to, 'Welcome', <<<TEXT
Hello $name,

your account is ready.
TEXT
    );
}

// PHP 7.3+ flexible heredoc: indented closing marker.
function reminder($to)
{
    return mail($to, 'Reminder', <<<TEXT
        Your booking starts tomorrow.
        TEXT);
}
