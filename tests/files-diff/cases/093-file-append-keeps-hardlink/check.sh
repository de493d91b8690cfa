same_inode /etc/ha-a /etc/ha-b
file /etc/ha-b 'shared\nmore\n'
