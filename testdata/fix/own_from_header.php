<?php
// The call's own From header gives the -f address; --from is not used.
mail($to, 'Quote', $text, 'From: Sales <sales@shop.example>');
mail($to, 'Quote', $text, "From: sales@shop.example\r\nReply-To: quotes@shop.example");
mail($to, 'Quote', $text, array('from' => '"Shop" <sales@shop.example>'));
