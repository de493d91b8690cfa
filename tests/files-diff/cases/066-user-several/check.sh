line /etc/passwd '^u1:x:1000:'
line /etc/passwd '^u2:x:1100:'
line /etc/passwd '^u3:x:9[0-9][0-9]:'
