mkdir -p "$1/srv/data/sub"; echo x > "$1/srv/data/old"; echo y > "$1/srv/data/sub/f"
