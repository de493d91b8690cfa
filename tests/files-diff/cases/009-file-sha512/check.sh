file /etc/verified 'verify me\n'
