mkdir -p "$1/usr/fdx/etc/x"; echo kept > "$1/usr/fdx/etc/x/conf"; ln -s /usr/fdx/etc/x "$1/etc/x"
