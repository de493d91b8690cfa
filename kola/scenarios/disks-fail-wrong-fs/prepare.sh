# disks-fail-wrong-fs: an ext4 filesystem with a file where the config wants xfs.
# shellcheck shell=bash
n=$(disk neg)
sgdisk -o "$n"
sgdisk -n 1:2048:+100M -c 1:olddata "$n"
mkdir -p "$KOLA_DISKS/tree"
echo "must survive" >"$KOLA_DISKS/tree/precious.txt"
put_fs ext4 "$n" 1 -L precious -U 5B0E8A51-6B5E-4C25-9B8C-1F2A3D4E5F60 -d "$KOLA_DISKS/tree"
rm -rf "$KOLA_DISKS/tree"
