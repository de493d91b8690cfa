echo line1 > "$1/etc/existing"; chmod 640 "$1/etc/existing"; chown 1:4 "$1/etc/existing"
