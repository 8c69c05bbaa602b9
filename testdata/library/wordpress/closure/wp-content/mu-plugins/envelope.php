<?php
// A must-use plugin that gives every message an envelope sender.
add_action('phpmailer_init', function ($phpmailer) {
    if (empty($phpmailer->Sender)) {
        $phpmailer->Sender = 'bounce@example.org';
    }
});
