ln -s /usr/lib/fdx/same "$1/etc/same"; ln -s rel/../same "$1/etc/same2"; chown -h 2:2 "$1/etc/same2"
