line /etc/group '^devs:x:2000:$'
line /etc/gshadow '^devs:\$6\$g\$hash::$'
line /etc/group '^plain:x:[0-9]+:$'
