echo old > "$1/etc/ow"; chmod 600 "$1/etc/ow"; chown 1:1 "$1/etc/ow"
