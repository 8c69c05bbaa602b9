<?php
// PHP 7.2+ array headers, [] syntax.
mail($to, 'Ticket #42', $text, ['Reply-To' => 'support@example.org']);
