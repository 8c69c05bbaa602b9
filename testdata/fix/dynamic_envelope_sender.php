<?php
// A non-constant 5th argument is never rewritten: it must be checked by hand.
mail($to, 'Contact', $text, 'From: contact@client.fr', '-f' . $to);
mail($to, 'Contact', $text, 'X-Form: contact', "-f{$_POST['email']}");
