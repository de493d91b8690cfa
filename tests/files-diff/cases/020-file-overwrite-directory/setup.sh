mkdir -p "$1/etc/wasdir/sub"; echo x > "$1/etc/wasdir/sub/f"; ln -s f "$1/etc/wasdir/sub/l"
