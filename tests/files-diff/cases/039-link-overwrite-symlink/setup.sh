ln -s ../old/target "$1/etc/ln"
