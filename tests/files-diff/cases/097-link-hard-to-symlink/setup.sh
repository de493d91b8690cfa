echo r > "$1/etc/real"; ln -s real "$1/etc/soft"
