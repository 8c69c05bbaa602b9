<?php
// Sends the feedback form to two addresses, with a From header but no
// envelope sender (-f): the Return-Path is the user PHP runs as.
$recipients = array('ann@gmail.com', 'bo@yahoo.fr');
$headers = "From: Feedback <feedback@client.fr>\r\nReply-To: feedback@client.fr";
foreach ($recipients as $to) {
    if (!mail($to, 'Feedback form', "Someone wrote to you.\n", $headers)) {
        fwrite(STDERR, "mail() failed for $to\n");
        exit(1);
    }
}
