mkdir -p "$1/srv/up"; ln -s ../../../../srv/up "$1/etc/up"
