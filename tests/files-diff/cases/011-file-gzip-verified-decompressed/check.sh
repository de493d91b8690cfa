file /etc/gzv 'compressed over http\nsecond line\n'
