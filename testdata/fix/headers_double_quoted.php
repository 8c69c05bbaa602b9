<?php
// Double quotes with \r\n escapes: the From header goes inside the literal.
$to = 'owner@example.org';
mail($to, 'Order received', $text, "Reply-To: orders@example.org\r\nX-Mailer: shop/2.1");
