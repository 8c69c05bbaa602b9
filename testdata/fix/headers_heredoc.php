<?php
// A heredoc without From (PHP 5.3 syntax: the closing marker alone on its line).
$headers_ok = mail($to, 'Newsletter', $html, <<<HEADERS
MIME-Version: 1.0
Content-Type: text/html; charset=UTF-8
HEADERS
);
