file /etc/gz-data 'inline gzip\n'
