ln -s /usr/lib/fdx/x "$1/etc/unclean"
