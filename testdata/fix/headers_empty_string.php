<?php
// An empty header string is replaced, not extended.
mail($to, 'Reminder', $text, '');
mail($to, 'Reminder', $text, "");
