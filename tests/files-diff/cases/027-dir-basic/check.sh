dir /var/lib/app
mode /var/lib/app 755
dir /srv/a/b/c
mode /srv/a 755
owner /srv/a/b/c 0:0
