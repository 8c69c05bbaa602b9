<?php
// @mail(): the call inside the error suppression is rewritten.
if (!@mail($to, $subject, $text)) {
    error_log('mail failed');
}
