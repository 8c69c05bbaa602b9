<?php
$send = 'mail'?> // expect: unanalyzable-mail-call
<p>Sending.</p>
<?php $send($to, $subject, $body);
