no_line /etc/passwd '^henry:'
no_line /etc/shadow '^henry:'
absent /home/henry
no_line /etc/group '^henry:'
