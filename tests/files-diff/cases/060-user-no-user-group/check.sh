line /etc/passwd '^erin:x:1000:100:'
no_line /etc/group '^erin:'
