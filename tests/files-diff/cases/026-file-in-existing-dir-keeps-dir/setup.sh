mkdir -p "$1/srv/existing"; chmod 700 "$1/srv/existing"; chown 1:1 "$1/srv/existing"; echo old > "$1/srv/existing/old"
