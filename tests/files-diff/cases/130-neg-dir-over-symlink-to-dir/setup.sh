mkdir -p "$1/srv/xdir"; ln -s ../srv/xdir "$1/etc/x"
