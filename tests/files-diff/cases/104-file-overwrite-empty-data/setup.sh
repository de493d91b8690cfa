echo full > "$1/etc/emptied"
