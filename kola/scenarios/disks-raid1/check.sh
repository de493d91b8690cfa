# disks-raid1, first boot: two members, one array, ext4 on it, mounted; leaves a file for boot 2.
# shellcheck shell=bash
a=/dev/disk/by-id/virtio-raid-a
b=/dev/disk/by-id/virtio-raid-b
expect_part $a 1 raid-a 2048 409600
expect_part $b 1 raid-b 2048 409600
dump_disk $a
dump_disk $b
dump_md /dev/md/data
mdadm --detail --export /dev/md/data | grep -qx 'MD_LEVEL=raid1' || kola_fail "md/data is not raid1"
mdadm --detail --export /dev/md/data | grep -qx 'MD_DEVICES=2' || kola_fail "md/data does not have 2 members"
expect_fs /dev/md/data ext4 raiddata
dump_fs /dev/md/data
expect_mounted /sysroot/var/lib/data
dump_mounts
if [ "$KOLA_BOOT" = 1 ]; then
	echo "written on boot 1" >/sysroot/var/lib/data/kola-marker
	mdadm --detail --export /dev/md/data | sed -n 's/^MD_UUID=//p' >/sysroot/var/lib/kola-md-uuid
fi
