file /etc/hello 'hello world\n'
mode /etc/hello 644
owner /etc/hello 0:0
