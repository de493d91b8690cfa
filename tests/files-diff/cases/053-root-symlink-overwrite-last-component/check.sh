file /etc/z 'replaced\n'
file /usr/fdx/etc/z 'untouched\n'
