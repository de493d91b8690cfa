dir /srv/scratch
