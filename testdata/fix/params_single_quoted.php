<?php
// A constant 5th argument without -f: -fADDR goes in front of it.
mail($to, 'Report', $text, 'From: reports@client.fr', '-oi');
