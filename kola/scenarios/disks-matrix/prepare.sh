# disks-matrix: existing tables and filesystems for the config to keep, resize, delete and reuse.
# shellcheck shell=bash
a=$(disk mat-a)
sgdisk -o -U 4012AE00-82E8-4C3B-8CBA-84D4E7350A33 "$a"
sgdisk -n 1:2048:+64M -c 1:keep -t 1:8300 -u 1:6D6C6A28-13FC-4291-B2DD-95095A30E0DC "$a"
sgdisk -n 2:0:+100M -c 2:grow -t 2:8200 "$a"
sgdisk -n 3:0:+32M -c 3:gone "$a"
mkdir -p "$KOLA_DISKS/keep-tree"
echo "planted on the host" >"$KOLA_DISKS/keep-tree/kept.txt"
put_fs ext4 "$a" 1 -L keepfs -U 10E94017-3AD7-4CA6-88EF-91093BF9257F -d "$KOLA_DISKS/keep-tree"
put_fs swap "$a" 2 -L growswap -U A10E5D9B-BE98-49C6-B91E-9EDF5FC3BFF8
rm -rf "$KOLA_DISKS/keep-tree"

b=$(disk mat-b)
sgdisk -o "$b"
sgdisk -n 1:2048:+200M -c 1:stale1 "$b"
sgdisk -n 2:0:+300M -c 2:stale2 "$b"
put_fs ext4 "$b" 1 -L stale
