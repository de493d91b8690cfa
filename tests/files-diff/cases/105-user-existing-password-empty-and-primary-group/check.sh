line /etc/shadow '^noah:\*:'
line /etc/passwd '^noah:x:1950:100:'
