echo t > "$1/etc/existing-target"
