<?php
mail # expect: missing-envelope-sender missing-from-header
    ($to, $subject, $body);
