mkdir -p "$1/etc/systemd/system"; echo "[Unit]" > "$1/etc/systemd/system/old.service"
