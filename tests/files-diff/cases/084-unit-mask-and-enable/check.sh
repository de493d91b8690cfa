symlink /etc/systemd/system/both.service /dev/null
line /etc/systemd/system-preset/20-ignition.preset '^enable both.service$'
