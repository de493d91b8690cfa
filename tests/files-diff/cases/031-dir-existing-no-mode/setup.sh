mkdir -p "$1/srv/keepmode"; chmod 711 "$1/srv/keepmode"; chown 1:1 "$1/srv/keepmode"
