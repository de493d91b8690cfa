mkdir -p "$1/etc/systemd/system/multi-user.target.wants"; ln -s /etc/systemd/system/dangling.service "$1/etc/systemd/system/multi-user.target.wants/dangling.service"
