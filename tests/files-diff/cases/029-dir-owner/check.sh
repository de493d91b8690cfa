owner /var/spool/app 1:8
mode /var/spool/app 750
owner /var/spool 0:0
owner /var/spool/app2 3:0
