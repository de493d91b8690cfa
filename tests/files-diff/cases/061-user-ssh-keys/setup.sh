mkdir -m 700 "$1/root"
