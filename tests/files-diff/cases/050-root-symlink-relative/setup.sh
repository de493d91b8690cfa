mkdir -p "$1/usr/fdx/etc/y"; ln -s ../usr/fdx/etc/y "$1/etc/y"
