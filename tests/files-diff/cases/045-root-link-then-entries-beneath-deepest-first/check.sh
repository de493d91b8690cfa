symlink /etc/lnk ../srv/real
file /srv/real/sub/f.conf 'through link\n'
mode /srv/real 750
mode /srv/real/sub 700
