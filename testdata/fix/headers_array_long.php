<?php
// PHP 7.2+ array headers, array() syntax.
mail($to, 'Ticket #42', $text, array('Reply-To' => 'support@example.org', 'X-Ticket' => '42'));
