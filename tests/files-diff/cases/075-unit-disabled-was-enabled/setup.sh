mkdir -p "$1/etc/systemd/system"; printf "[Unit]\nDescription=bar\n\n[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n" > "$1/etc/systemd/system/bar.service"
systemctl --root "$1" enable bar.service
test -L "$1/etc/systemd/system/multi-user.target.wants/bar.service"
