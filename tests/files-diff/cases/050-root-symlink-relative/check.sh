symlink /etc/y ../usr/fdx/etc/y
file /usr/fdx/etc/y/conf 'via rel link\n'
symlink /usr/fdx/etc/y/ln conf
