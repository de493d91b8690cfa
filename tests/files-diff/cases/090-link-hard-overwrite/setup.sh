mkdir -p "$1/srv"; echo old > "$1/srv/dst"
