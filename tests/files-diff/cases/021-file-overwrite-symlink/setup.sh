echo target > "$1/etc/target"; ln -s target "$1/etc/waslink"
