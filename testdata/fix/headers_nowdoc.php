<?php
// A nowdoc without From.
mail($to, 'Newsletter', $html, <<<'HEADERS'
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
HEADERS
);
