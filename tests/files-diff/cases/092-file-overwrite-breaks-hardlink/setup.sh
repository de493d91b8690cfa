echo shared > "$1/etc/hl-a"; ln "$1/etc/hl-a" "$1/etc/hl-b"
