<?php
MB_SEND_MAIL // expect: missing-envelope-sender missing-from-header
    ($to, $subject, $body);
