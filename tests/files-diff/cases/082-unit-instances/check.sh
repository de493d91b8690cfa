line /etc/systemd/system-preset/20-ignition.preset '^enable getty@.service tty1 tty2$'
line /etc/systemd/system-preset/20-ignition.preset '^enable worker@.service a$'
file /etc/systemd/system/worker@a.service.d/a.conf '[Service]\n'
