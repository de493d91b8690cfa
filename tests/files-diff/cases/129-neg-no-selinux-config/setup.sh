rm -rf "$1/etc/selinux"
