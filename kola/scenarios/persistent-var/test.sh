# kola: persistent-var, first boot: /var is the local disk's ext4, with the config's file; leaves a marker for boot 2.
# shellcheck shell=bash
src=$(findmnt -n -o SOURCE,FSTYPE /var)
case $src in
*" ext4") note "/var is $src" ;;
*) kola_fail "/var is '${src:-not a mount point}', expected the ext4 of the local disk" ;;
esac
[ "$(blkid -s LABEL -o value "$(findmnt -n -o SOURCE /var)" 2>/dev/null)" = var ] || kola_fail "/var's filesystem is not labelled var"
expect_content /var/lib/kola/written-by-config "the config wrote this on the disk"
[ -e /var/lib/kola/boot1-marker ] && kola_fail "/var/lib/kola/boot1-marker exists on the first boot: the disk was not fresh"
cat /proc/sys/kernel/random/boot_id >/var/lib/kola/boot1-marker
sync
echo "/var: $src"
echo "wrote /var/lib/kola/boot1-marker"
