<?php
$to = 'owner@example.org';
$sujet = "Réservation";
$détails = "Chambre 2, arrivée le 3 mai.\n";
mail($to, $sujet, $détails, "Content-Type: text/plain; charset=ISO-8859-1");
