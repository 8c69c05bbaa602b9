<?php
// Sends the newsletter to every subscriber, without a From header or -f.
$subscribers = array('ann@gmail.com', 'bo@yahoo.fr');
foreach ($subscribers as $email) {
    mail($email, 'News', "This month's news\n");
}
