line /etc/passwd '^grace:x:1201:1200:Grace H:/srv/grace:/bin/sh$'
line /etc/shadow '^grace:\$6\$x\$y:'
line /etc/group '^adm:x:4:grace$'
file /srv/grace/.profile 'p\n'
absent /home/grace
owner /srv/grace/.profile 1201:1200
