<?php
// Empty 5th arguments are replaced.
mail($to, 'Report', $text, 'From: reports@client.fr', "");
mail($to, 'Report', $text, 'From: reports@client.fr', '');
