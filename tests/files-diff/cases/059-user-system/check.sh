line /etc/passwd '^svc:x:9[0-9][0-9]:9[0-9][0-9]::'
absent /home/svc
