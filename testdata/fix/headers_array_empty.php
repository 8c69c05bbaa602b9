<?php
// Empty header arrays.
mail($to, 'Ticket #42', $text, array());
mail($to, 'Ticket #43', $text, []);
