<?php
// Comments between and after the arguments stay where they are.
mail($to /* recipient */, $subject, /* the text */ $text // no headers yet
);
mail(
    $to, // recipient
    $subject,
    # the text
    $text
);
