symlink /etc/unclean /usr/lib/fdx/x
