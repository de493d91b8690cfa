file /etc/hl-a 'new a\n'
file /etc/hl-b 'shared\n'
