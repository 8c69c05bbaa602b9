<?php
// Already right: a From header and a constant envelope sender.
mail($to, 'Contact', $text, 'From: contact@client.fr', '-fcontact@client.fr');
mail($to, 'Contact', $text, ['From' => 'contact@client.fr'], '-oi -f contact@client.fr');
