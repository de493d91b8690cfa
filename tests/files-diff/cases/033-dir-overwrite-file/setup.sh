mkdir -p "$1/srv"; echo x > "$1/srv/wasfile"
