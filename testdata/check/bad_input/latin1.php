<?php
// Fichier enregistré en ISO-8859-1 : chaque lettre accentuée est un octet (é = 0xE9).
// Read as UTF-8, tree-sitter loses the call in bienvenue().
function bienvenue($abonné) {
mail($abonné, 'Bienvenue', 'Merci !'); // expect: missing-envelope-sender missing-from-header
}
$abonné = $_POST['email'];
$abonnés = 2; mail($abonné, 'Bienvenue', $texte, "From: Société <contact@example.org>", '-fcontact@example.org'); // expect:
foreach ($abonnés as $abonné) { mail($abonné, 'Lettre', $texte, 'Reply-To: réponse@example.org'); } // expect: missing-envelope-sender missing-from-header
$café = "café"; mail($abonné, $café, $texte, 'From: a@example.org', '-f' . $abonné); // expect: dynamic-envelope-sender
$abonné->mail($abonné);
