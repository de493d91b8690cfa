ln -s ../srv/real "$1/etc/lnk"
