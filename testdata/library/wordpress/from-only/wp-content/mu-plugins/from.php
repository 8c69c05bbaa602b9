<?php
// Sets From, not Sender: the envelope stays empty.
add_action('phpmailer_init', function ($phpmailer) {
    $phpmailer->From = 'news@example.org';
});
