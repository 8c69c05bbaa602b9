<?php
// A constant single-quoted header without From: the From header goes in
// front through concatenation, because '\r\n' means nothing in single quotes.
$to = 'owner@example.org';
mail($to, 'Order received', $text, 'X-Mailer: shop/2.1');
