line /etc/passwd '^dave:x:[0-9]+:[0-9]+::/home/dave:'
absent /home/dave
