echo x > "$1/etc/f"
