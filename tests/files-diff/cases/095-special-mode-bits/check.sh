dir /srv/shared-grp
owner /srv/shared-grp 0:100
