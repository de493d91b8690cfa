symlink /etc/ln /new/target
