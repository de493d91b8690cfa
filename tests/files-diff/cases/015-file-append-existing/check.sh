file /etc/existing 'line1\nline2\n'
mode /etc/existing 640
owner /etc/existing 1:4
