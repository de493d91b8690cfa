echo shared > "$1/etc/ha-a"; ln "$1/etc/ha-a" "$1/etc/ha-b"
