mkdir "$1/etc/adir"
