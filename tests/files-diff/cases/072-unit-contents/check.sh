file /etc/systemd/system/foo.service '[Unit]\nDescription=foo\n\n[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n'
mode /etc/systemd/system/foo.service 644
absent /etc/systemd/system-preset/20-ignition.preset
