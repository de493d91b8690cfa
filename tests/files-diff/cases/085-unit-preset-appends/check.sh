line /etc/systemd/system-preset/20-ignition.preset '^enable old.service$'
line /etc/systemd/system-preset/20-ignition.preset '^enable new.service$'
