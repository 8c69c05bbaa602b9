<?php
// A file with CRLF line breaks: inserted line breaks are CRLF too.
mail($to, $subject, $text);
mail(
    $to,
    $subject,
    $text
);
mail($to, $subject, $text, [
    "Reply-To" => "help@example.org",
]);
