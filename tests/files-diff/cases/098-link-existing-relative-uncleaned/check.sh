symlink /etc/rel-same a/../b
symlink /etc/rel-same2 d
