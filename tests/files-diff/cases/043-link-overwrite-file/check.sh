symlink /etc/wasfile /usr/share/zoneinfo/UTC
