symlink /etc/x /usr/fdx/etc/x
file /usr/fdx/etc/x/conf 'via abs link\n'
mode /usr/fdx/etc/x/sub/dir 700
mode /usr/fdx/etc/x/sub 755
