<?php
// Constant pieces joined with `.`: still a constant without From.
mail($to, 'Invoice', $text, 'MIME-Version: 1.0' . "\r\n" . 'Content-Type: text/plain; charset=UTF-8');
