line /etc/passwd '^ivan:x:2500:8:'
