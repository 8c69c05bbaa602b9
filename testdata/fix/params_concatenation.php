<?php
// A constant concatenation as 5th argument.
mail($to, 'Report', $text, 'From: reports@client.fr', '-o' . 'i');
