file /etc/keep 'original\n'
mode /etc/keep 600
owner /etc/keep 0:0
