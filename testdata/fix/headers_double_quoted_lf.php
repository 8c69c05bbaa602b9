<?php
// Headers separated by \n alone: the inserted header follows their convention.
mail($to, 'Order received', $text, "Reply-To: orders@example.org\nX-Priority: 3\n");
