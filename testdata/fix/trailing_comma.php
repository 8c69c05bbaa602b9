<?php
// PHP 7.3+ trailing commas are kept after the new arguments.
mail($to, $subject, $text,);
mail(
    $to,
    $subject,
    $text,
);
