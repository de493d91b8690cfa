dir /srv/wasfile
mode /srv/wasfile 755
