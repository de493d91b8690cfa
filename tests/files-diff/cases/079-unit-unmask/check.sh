absent /etc/systemd/system/wasmasked.service
symlink /etc/systemd/system/notmasked.service /usr/lib/fdx/notmasked.service
