file /etc/hello 'again\n'
