ln -s /usr/fdx/none "$1/etc/alink"
