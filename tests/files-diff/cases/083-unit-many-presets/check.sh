line /etc/systemd/system-preset/20-ignition.preset '^enable a.service$'
line /etc/systemd/system-preset/20-ignition.preset '^enable g.service$'
