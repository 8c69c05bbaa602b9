<?php
// A double-quoted 5th argument without -f.
mail($to, 'Report', $text, "From: reports@client.fr", "-oi -odb");
