# bench/disks: the result is right (timings are read from the KOLA-TIME lines).
d=/dev/disk/by-id/virtio-bench
expect_part $d 1 b-ext4 2048 524288
expect_part $d 2 b-xfs - 1048576
expect_part $d 3 b-btrfs - 1048576
expect_part $d 4 b-spare
expect_fs /dev/disk/by-partlabel/b-ext4 ext4 bext4
expect_fs /dev/disk/by-partlabel/b-xfs xfs bxfs
expect_fs /dev/disk/by-partlabel/b-btrfs btrfs bbtrfs
for m in b-ext4 b-xfs b-btrfs; do
	expect_mounted /sysroot/var/lib/$m
done
