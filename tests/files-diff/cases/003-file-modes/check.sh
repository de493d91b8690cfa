mode /etc/m600 600
mode /usr/local/bin/tool 755
mode /etc/m440 440
mode /etc/m000 0
dir /usr/local/bin
mode /usr/local/bin 755
