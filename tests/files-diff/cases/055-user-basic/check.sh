line /etc/passwd '^alice:x:1000:1000::/home/alice:'
line /etc/shadow '^alice:\*:'
dir /home/alice
owner /home/alice 1000:1000
line /etc/group '^alice:x:1000:$'
