line /etc/shadow '^carol:\*:'
