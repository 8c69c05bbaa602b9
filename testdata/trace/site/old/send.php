<?php
// An older copy of the sender, with its envelope sender set.
mail('ann@gmail.com', 'News', "Old news\n", 'From: news@client.fr', '-fnews@client.fr');
