# disks-persistent-var, boot 1: the partition, xfs on it mounted at /var; leaves a file.
# shellcheck shell=bash
disk=/dev/disk/by-id/virtio-var
part=/dev/disk/by-partlabel/var
expect_part $disk 1 var 2048
dump_disk $disk
expect_fs $part xfs var
dump_fs $part
expect_mounted /sysroot/var
dump_mounts
blkid -p -s UUID -o value $part >/run/kola/var-uuid
if [ "$KOLA_BOOT" = 1 ]; then
	echo "written on boot 1" >/sysroot/var/kola-marker
	# Beside the mount point, on the root filesystem, for boot 2.
	mkdir -p /run/kola/root && mount --bind /sysroot /run/kola/root &&
		cp /run/kola/var-uuid /run/kola/root/kola-var-uuid && umount /run/kola/root
fi
