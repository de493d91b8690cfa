file /etc/emptied ''
