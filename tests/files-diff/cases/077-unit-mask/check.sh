symlink /etc/systemd/system/masked.service /dev/null
symlink /etc/systemd/system/other.service /dev/null
