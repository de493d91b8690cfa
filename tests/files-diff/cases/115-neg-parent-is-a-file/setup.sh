echo x > "$1/etc/plain"
