file /etc/wasdir 'now a file\n'
mode /etc/wasdir 640
