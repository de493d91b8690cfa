file /etc/gz-http 'compressed over http\nsecond line\n'
