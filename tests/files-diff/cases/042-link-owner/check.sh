owner /etc/owned-link 1:4
symlink /etc/owned-link /usr/share/zoneinfo/UTC
owner /etc/owned-link2 2:0
