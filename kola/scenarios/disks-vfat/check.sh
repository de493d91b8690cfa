# disks-vfat: label and volume id as blkid reports them, and the mount.
# shellcheck shell=bash
disk=/dev/disk/by-id/virtio-fat
part=/dev/disk/by-partlabel/esp
expect_part $disk 1 esp 2048 204800
sgdisk -i 1 $disk | grep -q '^Partition GUID code: C12A7328-F81F-11D2-BA4B-00A0C93EC93B' || kola_fail "partition 1 is not an EFI System partition"
dump_disk $disk
expect_fs $part vfat KOLAFAT 2E24-EC82
dump_fs $part
expect_mounted /sysroot/boot/efi
findmnt -rn -o FSTYPE /sysroot/boot/efi | grep -qx vfat || kola_fail "/sysroot/boot/efi is not vfat"
dump_mounts
echo hello >/sysroot/boot/efi/KOLA.TXT || kola_fail "cannot write to the vfat filesystem"
