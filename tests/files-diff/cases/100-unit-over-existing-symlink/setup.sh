mkdir -p "$1/usr/lib/fdx" "$1/etc/systemd/system"
echo vendor > "$1/usr/lib/fdx/linked.service"; echo vendor2 > "$1/usr/lib/fdx/masklinked.service"
ln -s ../../../usr/lib/fdx/linked.service "$1/etc/systemd/system/linked.service"
ln -s ../../../usr/lib/fdx/masklinked.service "$1/etc/systemd/system/masklinked.service"
