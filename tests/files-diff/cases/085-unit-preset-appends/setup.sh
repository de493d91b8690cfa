mkdir -p "$1/etc/systemd/system-preset"; echo "enable old.service" > "$1/etc/systemd/system-preset/20-ignition.preset"
