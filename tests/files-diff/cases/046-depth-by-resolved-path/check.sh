file /srv/x/y/z/w/f 'kept\n'
mode /srv/x/y/z/w 700
