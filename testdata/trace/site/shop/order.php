<?php
// Order confirmations: From header and envelope sender are both set.
$headers = array('From' => 'shop@client.fr');
mail($_POST['email'], 'Your order', "Thank you\n", $headers, '-fshop@client.fr');
