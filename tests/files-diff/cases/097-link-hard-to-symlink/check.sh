symlink /etc/soft real
symlink /etc/hard-to-link real
