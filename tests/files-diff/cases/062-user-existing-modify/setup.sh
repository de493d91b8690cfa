mkdir -p "$1/srv"; useradd --root "$1" -u 1200 -m -s /bin/bash grace
echo p > "$1/home/grace/.profile"; chown 1200:1200 "$1/home/grace/.profile"
