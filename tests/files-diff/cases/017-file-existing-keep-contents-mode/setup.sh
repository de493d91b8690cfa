echo original > "$1/etc/keep"; chmod 644 "$1/etc/keep"
