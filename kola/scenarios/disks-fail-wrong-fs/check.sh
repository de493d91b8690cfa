# disks-fail-wrong-fs, after the disks stage failed: the table and the ext4 filesystem with its file are untouched.
# shellcheck shell=bash
# shellcheck disable=SC2034 # read by check-lib.sh
KNOWN_IDS="5B0E8A51-6B5E-4C25-9B8C-1F2A3D4E5F60"
[ "${KOLA_FAILED_UNITS-}" = ignition-disks.service ] || kola_fail "expected only ignition-disks.service to fail, got '${KOLA_FAILED_UNITS-none}'"
disk=/dev/disk/by-id/virtio-neg
part=/dev/disk/by-partlabel/olddata
expect_part $disk 1 olddata 2048 204800
expect_fs $part ext4 precious 5B0E8A51-6B5E-4C25-9B8C-1F2A3D4E5F60
mkdir -p /run/kola/mnt
if mount -o ro $part /run/kola/mnt; then
	expect_content /run/kola/mnt/precious.txt "must survive"
	umount /run/kola/mnt
else
	kola_fail "cannot mount $part read-only"
fi
mountpoint -q /sysroot/var/lib/data && kola_fail "/sysroot/var/lib/data is mounted although the disks stage failed"
dump_disk $disk
dump_fs $part
