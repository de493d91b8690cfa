file /etc/ow 'new\n'
mode /etc/ow 644
owner /etc/ow 0:0
