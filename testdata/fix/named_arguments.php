<?php
// PHP 8 named arguments: the new arguments are named too.
mail(to: $to, subject: 'Welcome', message: $text);
mail($to, 'Welcome', $text, additional_headers: 'Reply-To: help@example.org');
mail(message: $text, to: $to, subject: 'Welcome', additional_params: '-oi');
