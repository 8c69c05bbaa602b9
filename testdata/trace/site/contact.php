<?php
// The contact form: no envelope sender, so the Return-Path is the system user.
$to = 'client.owner@gmail.com';
$body = "Name: " . $_POST['name'] . "\n\n" . $_POST['message'];
mail($to, 'Contact form', $body, 'From: contact@client.fr');
