file /srv/up/f 'dotdot\n'
