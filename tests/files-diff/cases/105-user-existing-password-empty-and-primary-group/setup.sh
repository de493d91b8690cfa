useradd --root "$1" -u 1950 -m -p '$6$old$hash' noah
