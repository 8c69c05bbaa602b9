<?php
// mb_send_mail() takes the same arguments as mail().
mb_language('uni');
mb_send_mail($to, 'Confirmation', $text);
mb_send_mail($to, 'Confirmation', $text, 'Content-Language: fr');
