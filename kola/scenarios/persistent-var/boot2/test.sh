# kola: persistent-var, second boot (same config, same disk): the filesystem was reused, boot 1's file is still there.
# shellcheck shell=bash
src=$(findmnt -n -o SOURCE,FSTYPE /var)
case $src in
*" ext4") note "/var is $src" ;;
*) kola_fail "/var is '${src:-not a mount point}', expected the ext4 of the local disk" ;;
esac
if [ -s /var/lib/kola/boot1-marker ]; then
	if [ "$(cat /var/lib/kola/boot1-marker)" = "$(cat /proc/sys/kernel/random/boot_id)" ]; then
		kola_fail "boot1-marker holds this boot's id"
	else
		note "boot 1's marker survived: $(cat /var/lib/kola/boot1-marker)"
	fi
else
	kola_fail "/var/lib/kola/boot1-marker is gone: the disks stage did not reuse /var's filesystem"
fi
expect_content /var/lib/kola/written-by-config "the config wrote this on the disk"
echo "/var: $src"
echo "boot1-marker: still there"
