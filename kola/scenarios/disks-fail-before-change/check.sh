# disks-fail-before-change, after the failure: nothing was changed on either disk.
# shellcheck shell=bash
blank=/dev/disk/by-id/virtio-blank
kola_wait_dev $blank || kola_fail "$blank does not exist"
pt=$(blkid -p -s PTTYPE -o value $blank 2>/dev/null)
[ -z "$pt" ] || kola_fail "$blank got a partition table ($pt) although the stage failed"
[ -z "$(partition_numbers $blank)" ] || kola_fail "$blank got partitions: $(partition_numbers $blank | tr '\n' ' ')"
expect_fs /dev/disk/by-partlabel/holder ext4 keepme
dump_fs $blank
dump_fs /dev/disk/by-partlabel/holder
