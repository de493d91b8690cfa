mkdir -p "$1/usr/fdx/etc/x/sub"; echo o > "$1/usr/fdx/etc/x/sub/old"; ln -s /usr/fdx/etc/x "$1/etc/x"
