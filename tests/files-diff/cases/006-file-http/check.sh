file /etc/from-http 'plain text served over http\n'
