same_inode /srv/h /usr/fdx/etc/x/real
symlink /etc/x /usr/fdx/etc/x
