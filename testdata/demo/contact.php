<?php
// Contact form of a small site: the classic mail() call that loses mail
// after a server move (no -f, so the Return-Path is www-data@host).
$to = 'owner@example.org';
$subject = 'Message from the contact form';
$body = "Name: " . $_POST['name'] . "\n\n" . $_POST['message'];

if (mail($to, $subject, $body)) {
    echo "Thank you!";
}

// Headers are set but no envelope sender: still rejected by some receivers.
$headers = "From: Contact <contact@example.org>\r\nReply-To: " . $_POST['email'];
@mail($to, $subject, $body, $headers);

// The widely copied "fix" that is worse: the recipient becomes the
// envelope sender and unvalidated data reaches sendmail (CVE-2016-10033).
mail($to, $subject, $body, $headers, "-f" . $to);

// Done right: a From header and a constant -f envelope sender.
mail($to, $subject, $body, 'From: contact@example.org', '-fcontact@example.org');
