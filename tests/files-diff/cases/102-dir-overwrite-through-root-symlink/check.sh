dir /usr/fdx/etc/x/sub
mode /usr/fdx/etc/x/sub 750
absent /usr/fdx/etc/x/sub/old
symlink /etc/x /usr/fdx/etc/x
