# disks-persistent-var, boot 2 (same config): partition and filesystem kept, boot 1's file still there.
# shellcheck shell=bash
disk=/dev/disk/by-id/virtio-var
part=/dev/disk/by-partlabel/var
expect_part $disk 1 var 2048
dump_disk $disk
expect_fs $part xfs var
dump_fs $part
expect_mounted /sysroot/var
dump_mounts
expect_content /sysroot/var/kola-marker "written on boot 1"
uuid=$(blkid -p -s UUID -o value $part)
mkdir -p /run/kola/root && mount --bind /sysroot /run/kola/root
[ "$uuid" = "$(cat /run/kola/root/kola-var-uuid 2>/dev/null)" ] ||
	kola_fail "xfs UUID $uuid is not boot 1's $(cat /run/kola/root/kola-var-uuid 2>/dev/null): the filesystem was made again"
umount /run/kola/root
# Ignition's wording, which Flint keeps.
expect_log ignition-disks.service 'partition 1 found with correct specifications'
expect_log ignition-disks.service 'filesystem at "/dev/disk/by-partlabel/var" is already correctly formatted'
