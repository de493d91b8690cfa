owner /home/alice/notes 1500:1600
owner /home/alice 1500:1500
line /etc/passwd '^alice:x:1500:'
