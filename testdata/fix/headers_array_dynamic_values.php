<?php
// Array headers whose keys are constant but values are not: the From key is
// known to be missing, so it is added; the values are left as they are.
mail($to, 'Ticket #42', $text, array('Reply-To' => $reply, 'X-Ticket' => $id));
