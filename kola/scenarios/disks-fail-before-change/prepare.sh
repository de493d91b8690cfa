# disks-fail-before-change: an ext4 filesystem where the config wants xfs; the other disk stays blank.
# shellcheck shell=bash
h=$(disk holder)
sgdisk -o "$h"
sgdisk -n 1:2048:+100M -c 1:holder "$h"
put_fs ext4 "$h" 1 -L keepme
