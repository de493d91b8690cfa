file /etc/v31 'plain text served over http\ncompressed over http\nsecond line\n'
