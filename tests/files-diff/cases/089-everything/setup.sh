echo "old motd" > "$1/etc/motd"; echo "127.0.0.1 localhost" > "$1/etc/hosts"; ln -s ../usr/share/zoneinfo/Etc/Nowhere "$1/etc/localtime"
