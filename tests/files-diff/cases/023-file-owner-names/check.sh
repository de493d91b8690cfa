owner /etc/owned-names 1:4
owner /etc/owned-group-name 0:8
