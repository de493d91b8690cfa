ln -s a/../b "$1/etc/rel-same"; ln -s d "$1/etc/rel-same2"
