echo two > "$1/etc/keep2"; chown 1:1 "$1/etc/keep2"; chmod 640 "$1/etc/keep2"
echo three > "$1/etc/keep3"; chown 3:8 "$1/etc/keep3"; chmod 604 "$1/etc/keep3"
