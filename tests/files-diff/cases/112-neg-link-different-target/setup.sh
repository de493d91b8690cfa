ln -s /usr/fdx/a "$1/etc/l"
