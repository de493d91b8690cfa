file /etc/hello 'hello\n'
