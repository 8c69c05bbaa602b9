<?php
// No line break at the end of the file.
mail($to, $subject, $text);