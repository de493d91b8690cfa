line /etc/systemd/system-preset/20-ignition.preset '^disable bar.service$'
absent /etc/systemd/system/multi-user.target.wants/bar.service
file /etc/systemd/system/bar.service
