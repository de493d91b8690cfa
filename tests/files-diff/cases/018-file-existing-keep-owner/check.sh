file /etc/keep2 'two\n'
owner /etc/keep2 1:1
mode /etc/keep2 444
file /etc/keep3 'three\n'
owner /etc/keep3 2:8
mode /etc/keep3 604
