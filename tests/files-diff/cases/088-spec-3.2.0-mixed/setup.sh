useradd --root "$1" -M -u 1800 gone; groupadd --root "$1" -g 1801 gonegrp
