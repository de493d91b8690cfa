useradd --root "$1" -u 1300 -m -s /bin/bash heidi
