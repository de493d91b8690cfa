file /usr/fdx/etc/x/conf 'kept\n'
mode /usr/fdx/etc/x/conf 640
owner /usr/fdx/etc/x/conf 0:4
