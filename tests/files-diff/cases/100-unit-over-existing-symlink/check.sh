file /usr/lib/fdx/linked.service 'vendor\n'
symlink /etc/systemd/system/masklinked.service /dev/null
file /usr/lib/fdx/masklinked.service 'vendor2\n'
