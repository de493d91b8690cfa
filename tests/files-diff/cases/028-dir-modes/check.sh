mode /etc/private 700
mode /srv/shared 775
mode /srv/locked 500
