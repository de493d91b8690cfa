mode /etc/exist 750
owner /etc/exist 0:4
file /etc/exist/inside 'kept\n'
