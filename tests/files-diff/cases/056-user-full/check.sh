line /etc/passwd '^bob:x:1501:100:Bob B,,,:/srv/bob:/bin/sh$'
line /etc/shadow '^bob:\$6\$salt\$'
line /etc/group '^adm:x:4:bob$'
line /etc/group '^tty:x:5:bob$'
no_line /etc/group '^bob:'
owner /srv/bob 1501:100
