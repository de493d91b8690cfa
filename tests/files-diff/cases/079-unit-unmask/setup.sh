mkdir -p "$1/etc/systemd/system"; ln -s /dev/null "$1/etc/systemd/system/wasmasked.service"; ln -s /usr/lib/fdx/notmasked.service "$1/etc/systemd/system/notmasked.service"
