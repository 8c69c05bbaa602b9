<?php
// ISO-8859-1: bytes 0xE9 in an identifier and in strings stay as they are.
$abonné = $_POST['email'];
$sujet = "Votre réservation";
mail($abonné, $sujet, "Merci, à bientôt.");
mail($abonné, $sujet, $texte, "From: Société <reservation@hotel.example>");
