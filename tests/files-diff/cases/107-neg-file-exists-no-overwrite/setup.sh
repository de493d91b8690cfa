echo old > "$1/etc/present"
