mkdir -p "$1/fdx"; ln -s /fdx/b "$1/etc/a"; ln -s "$ESCAPE" "$1/fdx/b"
