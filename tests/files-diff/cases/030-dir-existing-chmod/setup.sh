mkdir "$1/etc/exist"; echo kept > "$1/etc/exist/inside"
