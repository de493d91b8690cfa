file /etc/appended 'a\nb\n'
mode /etc/appended 644
