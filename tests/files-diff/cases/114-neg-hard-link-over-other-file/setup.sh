echo x > "$1/etc/f"; echo y > "$1/etc/g"
