mkdir -p "$1/usr/fdx/etc/x"; echo real > "$1/usr/fdx/etc/x/real"; ln -s /usr/fdx/etc/x "$1/etc/x"
