line /etc/systemd/system-preset/20-ignition.preset '^disable bar.service$'
