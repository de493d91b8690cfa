file /etc/v30 'v30\n'
symlink /etc/v30-link v30
line /etc/passwd '^v30user:'
