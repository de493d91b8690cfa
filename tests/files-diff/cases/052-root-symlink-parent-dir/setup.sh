mkdir -p "$1/var" "$1/fdx/run"; ln -s /fdx/run "$1/var/run"
