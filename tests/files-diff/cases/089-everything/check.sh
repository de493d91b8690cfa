owner /var/lib/ops/config.yaml 4001:4000
file /etc/motd 'welcome\n'
file /etc/hosts '127.0.0.1 localhost\n127.0.0.2 ops\n'
same_inode /etc/ops/hard.env /etc/ops/app.env
symlink /etc/localtime /usr/share/zoneinfo/UTC
symlink /etc/systemd/system/legacy.service /dev/null
line /etc/systemd/system-preset/20-ignition.preset '^enable ops@.service x$'
line /etc/systemd/system-preset/20-ignition.preset '^disable off.service$'
