ln -s /srv/x/y/z/w "$1/etc/short"
