mkdir -p "$1/usr/fdx/etc/x"; ln -s /usr/fdx/etc/x "$1/etc/x"
