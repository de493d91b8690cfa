symlink /etc/localtime /usr/share/zoneinfo/UTC
symlink /etc/dangling /nonexistent/target
owner /etc/localtime 0:0
