useradd --root "$1" -u 1400 -m henry
