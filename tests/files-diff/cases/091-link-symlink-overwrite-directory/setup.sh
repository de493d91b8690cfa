mkdir -p "$1/srv/wasdir/sub"; echo x > "$1/srv/wasdir/sub/f"
