file /etc/empty ''
file /var/lib/app/empty2 ''
mode /etc/empty 644
mode /etc/empty-mode 640
mode /var/lib/app 755
