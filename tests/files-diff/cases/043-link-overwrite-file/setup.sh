echo x > "$1/etc/wasfile"
