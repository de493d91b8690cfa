owner /etc/owned-ids 1:4
owner /etc/owned-uid-only 2:0
owner /etc/owned-unknown-ids 4242:4343
