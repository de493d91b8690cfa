file '/etc/systemd/system/mnt-data\x2dx.mount.d/opts.conf' '[Mount]\nOptions=noatime\n'
line /etc/systemd/system-preset/20-ignition.preset '^enable mnt-data\\x2dx.mount$'
