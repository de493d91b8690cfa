# disks-matrix: asserts the main facts, and dumps every table and signature for the comparison with Ignition 2.14.
# shellcheck shell=bash
# shellcheck disable=SC2034 # read by check-lib.sh
KNOWN_IDS="4012AE00-82E8-4C3B-8CBA-84D4E7350A33 10E94017-3AD7-4CA6-88EF-91093BF9257F A10E5D9B-BE98-49C6-B91E-9EDF5FC3BFF8"
a=/dev/disk/by-id/virtio-mat-a
b=/dev/disk/by-id/virtio-mat-b
k=/dev/disk/by-id/virtio-mat-4k
w=/dev/disk/by-id/virtio-mat-whole

# mat-a: kept, grown in place, deleted.
expect_part $a 1 keep 2048 131072
sgdisk -i 1 $a | grep -q '^Partition unique GUID: 6D6C6A28-13FC-4291-B2DD-95095A30E0DC' || kola_fail "keep lost its GUID"
expect_part $a 2 grow 133120 409600
expect_no_part $a 3
expect_fs /dev/disk/by-partlabel/keep ext4 keepfs 10E94017-3AD7-4CA6-88EF-91093BF9257F
expect_content /sysroot/var/lib/keep/kept.txt "planted on the host"
expect_fs /dev/disk/by-partlabel/grow swap growswap A10E5D9B-BE98-49C6-B91E-9EDF5FC3BFF8

# mat-b: a new table; number 0 takes the next free number.
expect_part $b 1 xdata 2048 819200
expect_part $b 2 rest 821248 614400
expect_part $b 3 bzero - 262144
expect_no_part $b 4
expect_fs /dev/disk/by-partlabel/xdata xfs xdata
expect_fs /dev/disk/by-partlabel/rest ext4 rest 4CA744D0-769E-4E6C-AD80-19ECF538FAEF
expect_fs /dev/disk/by-partlabel/bzero btrfs zerobtrfs

# mat-4k: 4096-byte sectors (1 MiB = 256 sectors).
sgdisk -p $k | grep -q 'Sector size (logical/physical): 4096/4096 bytes' || kola_fail "mat-4k does not have 4096-byte sectors"
expect_part $k 1 k4ext 256 25600
expect_part $k 2 k4swap - 16384
expect_part $k 3 k4btrfs 76800
sgdisk -i 2 $k | grep -q '^Partition GUID code: 0657FD6D-A4AB-43C4-84E5-0933C84B4F4F' || kola_fail "k4swap has the wrong type GUID"
sgdisk -i 2 $k | grep -q '^Partition unique GUID: 414A2C61-F6D6-4852-A848-2740DB79C02B' || kola_fail "k4swap has the wrong GUID"
expect_fs /dev/disk/by-partlabel/k4ext ext4 k4ext
expect_fs /dev/disk/by-partlabel/k4swap swap k4swap 007841FC-0720-453C-B64D-5D3098BFEB55
expect_fs /dev/disk/by-partlabel/k4btrfs btrfs k4btrfs

# mat-whole: no table, a filesystem.
expect_fs $w xfs wholexfs 617C8CC1-B98C-47B9-9A9A-A66B01DA9E12

for m in /sysroot/var/lib/keep /sysroot/var/lib/bzero /sysroot/var/lib/k4 /sysroot/var/lib/whole; do
	expect_mounted $m
done

for d in $a $b $k; do
	dump_disk $d
done
for p in keep grow xdata rest bzero k4ext k4swap k4btrfs; do
	dump_fs /dev/disk/by-partlabel/$p
done
dump_fs $w
dump_mounts
