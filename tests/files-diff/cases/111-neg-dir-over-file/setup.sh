echo x > "$1/etc/afile"
