file /etc/systemd/system/foo.service.d/10-a.conf '[Service]\nEnvironment=A=1\n'
file /etc/systemd/system/foo.service.d/20-empty.conf ''
absent /etc/systemd/system/foo.service.d/30-nil.conf
mode /etc/systemd/system/foo.service.d 755
