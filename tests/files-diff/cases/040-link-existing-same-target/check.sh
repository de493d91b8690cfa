symlink /etc/same /usr/lib/fdx/same
owner /etc/same 0:0
symlink /etc/same2 rel/../same
owner /etc/same2 2:2
