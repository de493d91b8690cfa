mkdir -p "$1/usr/fdx/etc/b" "$1/fdx"; ln -s /fdx/opt-b "$1/etc/a"; ln -s ../usr/fdx/etc/b "$1/fdx/opt-b"
