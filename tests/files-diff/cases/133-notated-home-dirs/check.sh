# The notated directories in core's home are core's, 0700; nothing else changed.
owner /home/core 1700:1700
mode /home/core 700
owner /home/core/data 1700:1700
mode /home/core/data 700
owner /home/core/data/deeper 0:0
mode /home/core/data/deeper 755
owner /home/core2 0:0
owner /var/mnt 0:0
owner /home/nohome/x 0:0
