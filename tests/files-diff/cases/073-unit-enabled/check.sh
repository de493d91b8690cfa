line /etc/systemd/system-preset/20-ignition.preset '^enable foo.service$'
line /etc/systemd/system-preset/20-ignition.preset '^enable sshd.service$'
mode /etc/systemd/system-preset/20-ignition.preset 644
