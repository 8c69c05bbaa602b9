<?php
// null as headers, sometimes written to reach the 5th argument.
mail($to, 'Reminder', $text, null);
mail($to, 'Reminder', $text, NULL, '-oi');
