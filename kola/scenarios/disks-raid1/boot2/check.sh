# disks-raid1, second boot (same config): the array is reused, not recreated, and boot 1's file is there.
# shellcheck shell=bash
expect_mounted /sysroot/var/lib/data
expect_content /sysroot/var/lib/data/kola-marker "written on boot 1"
uuid=$(mdadm --detail --export /dev/md/data 2>/dev/null | sed -n 's/^MD_UUID=//p')
[ -n "$uuid" ] && [ "$uuid" = "$(cat /sysroot/var/lib/kola-md-uuid 2>/dev/null)" ] ||
	kola_fail "md/data has UUID '$uuid', boot 1 created '$(cat /sysroot/var/lib/kola-md-uuid 2>/dev/null)'"
expect_log ignition-disks.service 'RAID array "data".*(reus|assembl)|assembling "data"'
expect_log ignition-disks.service 'filesystem at "/dev/md/data" is already correctly formatted'
dump_md /dev/md/data
dump_fs /dev/md/data
dump_mounts
