<?php
// A UTF-8 file with a byte order mark.
mail($to, "Réservation confirmée", $text);
