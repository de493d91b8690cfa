mkdir -p "$1/usr/fdx/etc"; echo untouched > "$1/usr/fdx/etc/z"; ln -s /usr/fdx/etc/z "$1/etc/z"
