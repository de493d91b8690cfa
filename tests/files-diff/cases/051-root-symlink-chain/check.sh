file /usr/fdx/etc/b/f 'chain\n'
symlink /etc/a /fdx/opt-b
