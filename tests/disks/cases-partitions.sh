# Partition cases for tests/disks/run: Ignition's sgdisk engine on real loop devices.
# shellcheck shell=bash

T_LINUX=0FC63DAF-8483-4772-8E79-3D69D8477DE4
T_SWAP=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F
G1=11111111-2222-3333-4444-555555555555
G2=66666666-7777-8888-9999-AAAAAAAAAAAA

# disk_config <device> <partitions JSON> [wipeTable]: a one-disk config.
disk_config() {
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {"disks": [
	{"device": "$1", "wipeTable": ${3:-false}, "partitions": $2}]}}
EOF
}

# part_line <disk> <n>: partition n's "n start size 'name' type guid" (lib.sh parts).
part_line() { parts "$1" | awk -v n="$2" '$1 == n'; }

# kpart <disk> <n>: the kernel's "start size" of partition n (sysfs, 512-byte
# sectors), or nothing when the kernel does not have it.
kpart() {
	local k p
	k=$(basename "$(readlink -f "$1")")
	for p in /sys/class/block/"$k"/"$k"*; do
		[ -e "$p/partition" ] || continue
		[ "$(cat "$p/partition")" = "$2" ] || continue
		echo "$(cat "$p/start") $(cat "$p/size")"
		return
	done
}

# expect_part <disk> <n> <start> <size> [name] [type] [guid]: the table (sgdisk)
# and the kernel (sysfs, scaled to 512-byte sectors) both have partition n so.
expect_part() {
	local disk=$1 n=$2 start=$3 size=$4 name=${5-} type=${6-} guid=${7-} line got ss k
	line=$(part_line "$disk" "$n")
	[ -n "$line" ] || {
		note "partition $n missing from the table"
		return
	}
	read -r _ s z nm t g <<<"$line"
	[ "$s $z" = "$start $size" ] || note "partition $n: table has start $s size $z, want $start $size"
	[ -z "$name" ] || [ "$nm" = "'$name'" ] || note "partition $n: name $nm, want '$name'"
	[ -z "$type" ] || [ "$t" = "$type" ] || note "partition $n: type $t, want $type"
	[ -z "$guid" ] || [ "$g" = "$guid" ] || note "partition $n: GUID $g, want $guid"
	ss=$(blockdev --getss "$disk")
	k=$(kpart "$disk" "$n")
	got="$((start * ss / 512)) $((size * ss / 512))"
	[ "$k" = "$got" ] || note "partition $n: kernel has '${k:-nothing}', want '$got' (512-byte sectors)"
}

# no_part <disk> <n>: neither the table nor the kernel has partition n.
no_part() {
	[ -z "$(part_line "$1" "$2")" ] || note "partition $2 still in the table"
	[ -z "$(kpart "$1" "$2")" ] || note "partition $2 still known to the kernel"
}

# make_parts <disk> <sgdisk args...>: an existing table, made outside Flint,
# with the kernel told about it (this host's kernel does not read GPT).
make_parts() {
	local d=$1
	shift
	sgdisk "$@" "$d" >/dev/null 2>&1 || note "TEST SETUP: sgdisk $* failed"
	partx -u -n 1:128 "$d" 2>/dev/null || partx -a "$d" 2>/dev/null
}

run_disks() { fetch && stage disks; }

# Last usable sector of a blank GPT: the backup table's 32 sectors (512-byte
# disks) or 4 (4096-byte disks) and the header before the disk's end.
last_usable() { # <disk>
	local ss total
	ss=$(blockdev --getss "$1")
	total=$(($(blockdev --getsize64 "$1") / ss))
	echo $((total - 1 - 1 - 16384 / ss))
}

t_create_explicit() {
	new_disk D 64 || return
	disk_config "$D" '[
		{"number": 1, "label": "boot", "startMiB": 1, "sizeMiB": 10, "typeGuid": "'$T_SWAP'", "guid": "'$G1'"},
		{"number": 2, "label": "var", "startMiB": 11, "sizeMiB": 20}]'
	run_disks
	expect_rc disks 0
	expect_part "$D" 1 2048 20480 boot "$T_SWAP" "$G1"
	expect_part "$D" 2 22528 40960 var "$T_LINUX"
	expect_msg disks 'created partition 1 "boot" (start 2048, 20480 sectors)'
	expect_msg disks 'created partition 2 "var" (start 22528, 40960 sectors)'
	expect_msg disks 'deleting 0 partitions and creating 2 partitions on "/run/ignition/dev_aliases'"$D"'"'
	expect_msg disks "--new=1:2048:+20480 --change-name=1:boot --typecode=1:$T_SWAP --partition-guid=1:$G1"
	[ -b "${D}p1" ] || note "${D}p1 missing"
	[ -b "${D}p2" ] || note "${D}p2 missing"
}

t_create_zero() {
	new_disk D 64 || return
	# start 0 and size 0, and neither given: sgdisk's first free sector and
	# the largest free block, resolved by the pretend run before the commit.
	disk_config "$D" '[
		{"number": 1, "startMiB": 0, "sizeMiB": 8},
		{"number": 2, "label": "rest", "sizeMiB": 0}]'
	run_disks
	expect_rc disks 0
	local end
	end=$(last_usable "$D")
	expect_part "$D" 1 2048 16384
	expect_part "$D" 2 18432 $((end - 18432 + 1)) rest
	expect_msg disks '--pretend --new=1:0:+16384 --new=2:0:+0 --info=1 --info=2'
	expect_msg disks "--new=2:18432:+$((end - 18432 + 1)) --change-name=2:rest"
}

t_autonumber() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+8192 --change-name=1:old
	# number 0 (a label only) takes the lowest free number after the
	# explicit ones: 2 and 4 here, with 3 taken by the config.
	disk_config "$D" '[
		{"label": "a", "sizeMiB": 4},
		{"number": 3, "label": "three", "sizeMiB": 4},
		{"label": "b", "sizeMiB": 4}]'
	run_disks
	expect_rc disks 0
	expect_part "$D" 1 2048 8192 old
	expect_part "$D" 3 10240 8192 three
	expect_part "$D" 2 18432 8192 a
	expect_part "$D" 4 26624 8192 b
	expect_msg disks 'created partition 2 "a" (start 18432, 8192 sectors)'
	expect_msg disks 'created partition 4 "b" (start 26624, 8192 sectors)'
}

t_sector_4k() {
	new_disk D 64 4096 || return
	[ "$(blockdev --getss "$D")" = 4096 ] || {
		skip "loop device did not take 4096-byte sectors"
		return
	}
	# MiB to sectors by the logical sector size: 1 MiB = 256 sectors.
	disk_config "$D" '[
		{"number": 1, "label": "a", "startMiB": 1, "sizeMiB": 10},
		{"number": 2, "label": "b", "sizeMiB": 0}]'
	run_disks
	expect_rc disks 0
	local end
	end=$(last_usable "$D")
	expect_part "$D" 1 256 2560 a
	expect_part "$D" 2 2816 $((end - 2816 + 1)) b
	expect_msg disks '--new=1:256:+2560'
	# Run again: the same config matches what is there now.
	local before
	before=$(snapshot_disk "$D")
	stage disks again
	expect_rc again 0
	expect_msg again 'kept partition 1 "a" (start 256, 2560 sectors)'
	[ "$(snapshot_disk "$D")" = "$before" ] || note "a matching rerun changed the disk"
}

t_keep() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480 --change-name=1:root --partition-guid=1:$G1 --typecode=1:$T_LINUX
	local before
	before=$(snapshot_disk "$D")
	# GUIDs compare case-insensitively; an unset start or size is "keep".
	disk_config "$D" '[{"number": 1, "label": "root", "sizeMiB": 10,
		"guid": "'"${G1,,}"'", "typeGuid": "'"${T_LINUX,,}"'"}]'
	run_disks
	expect_rc disks 0
	expect_msg disks 'partition 1 found with correct specifications'
	expect_msg disks 'kept partition 1 "root" (start 2048, 20480 sectors)'
	has disks 'deleting 0 partitions' && note "sgdisk ran for a matching table"
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed"
	# The kernel learns about the kept partition too.
	expect_part "$D" 1 2048 20480 root "$T_LINUX" "$G1"
}

t_mismatch() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480 --change-name=1:root
	local before
	before=$(snapshot_disk "$D")
	disk_config "$D" '[{"number": 1, "label": "root", "sizeMiB": 20}]'
	run_disks
	expect_rc disks 1
	expect_msg disks "partition 1 on $D didn't match: size is 20480 sectors (10 MiB), config wants 40960 sectors (20 MiB); set resize: true to grow it or wipePartitionEntry: true to recreate it"
	expect_msg disks 'no disk was changed'
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed"
}

t_mismatch_many() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480 --change-name=1:root --partition-guid=1:$G1
	local before
	before=$(snapshot_disk "$D")
	# Every difference is named, in Ignition's order; resize cannot help.
	disk_config "$D" '[{"number": 1, "label": "data", "startMiB": 2, "guid": "'$G2'", "resize": true}]'
	run_disks
	expect_rc disks 1
	expect_msg disks "partition 1 on $D didn't match: starts at sector 2048 (1 MiB), config wants sector 4096 (2 MiB); GUID is \"$G1\", config wants \"$G2\"; label is \"root\", config wants \"data\"; resize: true only applies when everything but the size matches"
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed"
}

t_shrink_message() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480
	disk_config "$D" '[{"number": 1, "sizeMiB": 4}]'
	run_disks
	expect_rc disks 1
	expect_msg disks "size is 20480 sectors (10 MiB), config wants 8192 sectors (4 MiB); set resize: true to shrink it (data past the new end is lost)"
}

t_wipe_entry() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480 --change-name=1:old --partition-guid=1:$G1 --new=2:22528:+8192 --change-name=2:keep
	disk_config "$D" '[{"number": 1, "label": "new", "startMiB": 1, "sizeMiB": 5, "wipePartitionEntry": true},
		{"number": 2, "label": "keep"}]'
	run_disks
	expect_rc disks 0
	expect_part "$D" 1 2048 10240 new "$T_LINUX"
	expect_part "$D" 2 22528 8192 keep
	local g
	g=$(part_line "$D" 1 | awk '{ print $6 }')
	[ "$g" != "$G1" ] || note "recreated partition kept its old GUID"
	expect_msg disks 'partition 1 did not meet specifications, wiping partition entry and recreating'
	expect_msg disks 'recreated partition 1 "new" (start 2048, 10240 sectors) (was "old" (start 2048, 20480 sectors))'
	expect_msg disks 'deleting 1 partitions and creating 1 partitions'
}

t_wipe_entry_fill() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480
	# wipePartitionEntry without start or size: the largest free block once
	# the entry is gone (not the old geometry).
	disk_config "$D" '[{"number": 1, "label": "all", "wipePartitionEntry": true}]'
	run_disks
	expect_rc disks 0
	local end
	end=$(last_usable "$D")
	expect_part "$D" 1 2048 $((end - 2048 + 1)) all
}

t_resize() {
	new_disk D 64 || return
	make_parts "$D" --new=1:4096:+20480 --change-name=1:data --partition-guid=1:$G1 --typecode=1:$T_SWAP \
		--new=2:40960:+4096
	disk_config "$D" '[{"number": 1, "sizeMiB": 16, "resize": true}]'
	run_disks
	expect_rc disks 0
	expect_part "$D" 1 4096 32768 data "$T_SWAP" "$G1"
	expect_part "$D" 2 40960 4096
	expect_msg disks 'resizing partition 1'
	expect_msg disks 'resized partition 1 "data" from 20480 to 32768 sectors (start 4096)'
	expect_msg disks "--delete=1 --new=1:4096:+32768 --change-name=1:data --typecode=1:$T_SWAP --partition-guid=1:$G1"
}

t_resize_fill() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480 --change-name=1:root
	# sizeMiB 0 with resize: grow to the end of the free space.
	disk_config "$D" '[{"number": 1, "label": "root", "sizeMiB": 0, "resize": true}]'
	run_disks
	expect_rc disks 0
	local end
	end=$(last_usable "$D")
	expect_part "$D" 1 2048 $((end - 2048 + 1)) root
}

t_delete() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+8192 --new=2:10240:+8192
	disk_config "$D" '[{"number": 2, "shouldExist": false, "wipePartitionEntry": true},
		{"number": 5, "shouldExist": false}]'
	run_disks
	expect_rc disks 0
	expect_part "$D" 1 2048 8192
	no_part "$D" 2
	expect_msg disks 'deleted partition 2 (start 10240, 8192 sectors)'
	expect_msg disks 'partition 5 specified as nonexistant and no partition was found. Success.'
	[ -e "${D}p2" ] && note "${D}p2 still exists"
}

t_delete_refused() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+8192
	local before
	before=$(snapshot_disk "$D")
	disk_config "$D" '[{"number": 1, "shouldExist": false}]'
	run_disks
	expect_rc disks 1
	expect_msg disks "partition 1 on $D exists but is specified as nonexistant and wipePartitionEntry is false; set wipePartitionEntry: true to delete it"
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed"
}

t_wipe_table() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+8192 --new=2:10240:+8192 --new=3:18432:+8192
	disk_config "$D" '[{"number": 2, "label": "only", "sizeMiB": 6}]' true
	run_disks
	expect_rc disks 0
	no_part "$D" 1
	no_part "$D" 3
	expect_part "$D" 2 2048 12288 only
	expect_msg disks 'wiping partition table requested on'
	expect_msg disks '--zap-all /run/ignition/dev_aliases'
	# Planned against a table cleared in memory, before the wipe.
	expect_msg disks '--pretend --mbrtogpt --clear --new=2:0:+12288 --info=2'
}

t_dos_table() {
	new_disk D 64 || return
	# An MBR with one Linux partition (sectors 2048-10239), written by hand.
	printf '\x00\x00\x00\x00\x83\x00\x00\x00\x00\x08\x00\x00\x00\x20\x00\x00' |
		dd of="$D" bs=1 seek=446 conv=notrunc status=none
	printf '\x55\xaa' | dd of="$D" bs=1 seek=510 conv=notrunc status=none
	[ "$(blk "$D" PTTYPE)" = dos ] || note "TEST SETUP: no MBR"
	local before
	before=$(snapshot_disk "$D")
	disk_config "$D" '[{"number": 1, "sizeMiB": 4}]'
	run_disks
	expect_rc disks 1
	expect_msg disks 'disk does not have a GPT (it has a "dos" partition table); set wipeTable: true'
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed"
	# With wipeTable it becomes a GPT.
	disk_config "$D" '[{"number": 1, "sizeMiB": 4}]' true
	run_disks
	expect_rc disks 0
	expect_part "$D" 1 2048 8192
	[ "$(blk "$D" PTTYPE)" = gpt ] || note "not a GPT after wipeTable"
}

t_mounted() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480 --change-name=1:root --new=2:22528:+8192
	mkfs.ext4 -q "${D}p1" || note "TEST SETUP: mkfs failed"
	mkdir -p "$W/mnt"
	mount "${D}p1" "$W/mnt" || {
		note "TEST SETUP: mount failed"
		return
	}
	local before
	before=$(snapshot_disk "$D")
	# Recreating the mounted partition is refused before anything changes.
	disk_config "$D" '[{"number": 1, "label": "root", "sizeMiB": 20, "wipePartitionEntry": true}]'
	run_disks
	expect_rc disks 1
	expect_msg disks "refusing to modify active partition 1 on $D (it would be recreated): ${D}p1 is mounted on $W/mnt"
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed (recreate)"
	# So is wiping its table.
	disk_config "$D" '[]' true
	run_disks
	expect_rc disks 1
	expect_msg disks "refusing to wipe active disk $D: ${D}p1 is mounted on $W/mnt"
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed (wipeTable)"
	# Deleting another partition and adding one is fine (Ignition HEAD).
	disk_config "$D" '[{"number": 1, "label": "root"}, {"number": 2, "shouldExist": false, "wipePartitionEntry": true},
		{"number": 3, "label": "new", "sizeMiB": 8}]'
	run_disks
	expect_rc disks 0
	expect_part "$D" 1 2048 20480 root
	no_part "$D" 2
	expect_part "$D" 3 22528 16384 new
	mountpoint -q "$W/mnt" || note "the mounted partition was unmounted"
}

t_disk_mounted() {
	new_disk D 64 || return
	mkfs.ext4 -q "$D" || note "TEST SETUP: mkfs failed"
	mkdir -p "$W/mnt"
	mount "$D" "$W/mnt" || {
		note "TEST SETUP: mount failed"
		return
	}
	disk_config "$D" '[{"number": 1, "sizeMiB": 8}]'
	run_disks
	expect_rc disks 1
	expect_msg disks "refusing to operate on directly active disk $D: $D is mounted on $W/mnt"
	[ "$(blk "$D" TYPE)" = ext4 ] || note "the filesystem on the disk is gone"
}

t_two_disks() {
	new_disk A 64 || return
	new_disk B 64 || return
	make_parts "$B" --new=1:2048:+8192
	local a b
	a=$(snapshot_disk "$A")
	b=$(snapshot_disk "$B")
	# A alone would be fine; B's mismatch stops the step before A is touched.
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {"disks": [
	{"device": "$A", "wipeTable": true, "partitions": [{"number": 1, "label": "a", "sizeMiB": 8}]},
	{"device": "$B", "partitions": [{"number": 1, "sizeMiB": 8}]}]}}
EOF
	run_disks
	expect_rc disks 1
	expect_msg disks "partition 1 on $B didn't match: size is 8192 sectors (4 MiB), config wants 16384 sectors (8 MiB)"
	[ "$(snapshot_disk "$A")" = "$a" ] || note "disk A changed"
	[ "$(snapshot_disk "$B")" = "$b" ] || note "disk B changed"
	has disks '--zap-all' && note "the first disk was wiped"
}
t_two_disks_ok() {
	new_disk A 64 || return
	new_disk B 64 4096 || return
	make_parts "$A" --new=1:2048:+8192 --change-name=1:old
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {"disks": [
	{"device": "$A", "partitions": [{"number": 1, "label": "old"}, {"number": 2, "label": "a2", "sizeMiB": 4}]},
	{"device": "$B", "partitions": [{"label": "b1", "sizeMiB": 4}]}]}}
EOF
	run_disks
	expect_rc disks 0
	expect_part "$A" 1 2048 8192 old
	expect_part "$A" 2 10240 8192 a2
	if [ "$(blockdev --getss "$B")" = 4096 ]; then
		expect_part "$B" 1 256 1024 b1
	else
		expect_part "$B" 1 2048 8192 b1
	fi
	# Both disks are planned before either is changed.
	local plans commits
	plans=$(grep -n 'planning partitions of' "$W/disks.out" | grep -F '[finished]' | tail -1 | cut -d: -f1)
	commits=$(grep -n '\[started\]  partitioning "' "$W/disks.out" | head -1 | cut -d: -f1)
	if [ -z "$plans" ] || [ -z "$commits" ] || [ "$plans" -gt "$commits" ]; then
		note "a disk was partitioned before every disk was planned"
	fi
}

t_same_disk_twice() {
	new_disk D 64 || return
	ln -s "$D" "$W/link"
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {"disks": [
	{"device": "$D", "partitions": [{"number": 1, "sizeMiB": 8}]},
	{"device": "$W/link", "partitions": [{"number": 2, "sizeMiB": 8}]}]}}
EOF
	run_disks
	expect_rc disks 1
	expect_msg disks "disks \"$D\" and \"$W/link\" are the same device $D; list it once"
	[ -z "$(parts "$D")" ] || note "the disk was partitioned"
}

t_missing_device() {
	new_disk D 64 || return
	export FLINT_DEVICE_TIMEOUT=1
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {"disks": [
	{"device": "$D", "partitions": [{"number": 1, "sizeMiB": 8}]},
	{"device": "/dev/flint-test-no-such-disk", "partitions": [{"number": 1, "sizeMiB": 8}]}]}}
EOF
	run_disks
	expect_rc disks 1
	expect_msg disks 'failed to wait on disks devs'
	expect_msg disks 'timed out after 1s waiting for device /dev/flint-test-no-such-disk does not exist'
	[ -z "$(parts "$D")" ] || note "the present disk was partitioned"
}

t_overlap() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+20480
	local before
	before=$(snapshot_disk "$D")
	# A new partition on top of a kept one: sgdisk's pretend refuses it.
	disk_config "$D" '[{"number": 1}, {"number": 2, "startMiB": 5, "sizeMiB": 4}]'
	run_disks
	expect_rc disks 1
	expect_msg disks 'Failed to pretend to create partitions on'
	expect_msg disks 'Could not create partition 2 from 10240 to 18431'
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed"
}

t_rerun() {
	new_disk D 64 || return
	disk_config "$D" '[{"number": 1, "label": "a", "sizeMiB": 8}, {"label": "b", "sizeMiB": 0}]'
	run_disks
	expect_rc disks 0
	local before
	before=$(snapshot_disk "$D")
	# The same config again: everything matches (the auto-numbered partition
	# has number 2 now, but number 0 always means "a new one" - so a config
	# with number 0 is not idempotent in Ignition either; pin it).
	disk_config "$D" '[{"number": 1, "label": "a", "sizeMiB": 8}, {"number": 2, "label": "b", "sizeMiB": 0}]'
	run_disks
	expect_rc disks 0
	expect_msg disks 'kept partition 2 "b"'
	[ "$(snapshot_disk "$D")" = "$before" ] || note "a matching rerun changed the disk"
}

# fake_zap <failures>: an sgdisk in $W/bin (first in PATH) that wipes as the
# real one does but exits 2 for the first <failures> --zap-all runs, as
# sgdisk does after repairing a damaged table (a state hard to make on
# purpose); everything else goes to the real sgdisk.
fake_zap() {
	local real
	real=$(command -v sgdisk)
	cat >"$W/bin/sgdisk" <<EOF
#!/bin/bash
for a in "\$@"; do
	if [ "\$a" = --zap-all ]; then
		echo zap >>"$W/zaps"
		if [ "\$(wc -l <"$W/zaps")" -le $1 ]; then
			"$real" "\$@" >/dev/null 2>&1
			echo "Caution: invalid backup GPT header, but valid main header; regenerating" >&2
			exit 2
		fi
	fi
done
exec "$real" "\$@"
EOF
	chmod +x "$W/bin/sgdisk"
}

t_zap_retry() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+8192
	fake_zap 1
	disk_config "$D" '[{"number": 1, "label": "new", "sizeMiB": 2}]' true
	run_disks
	expect_rc disks 0
	expect_msg disks 'potential error encountered while wiping table... retrying'
	[ "$(wc -l <"$W/zaps" 2>/dev/null)" = 2 ] || note "sgdisk --zap-all ran $(wc -l <"$W/zaps" 2>/dev/null) times, want 2"
	expect_part "$D" 1 2048 4096 new
}

t_zap_retry_fails() {
	new_disk D 64 || return
	fake_zap 5
	disk_config "$D" '[{"number": 1, "sizeMiB": 2}]' true
	run_disks
	expect_rc disks 1
	expect_msg disks 'create partitions failed: exit status 2: Cmd: "sgdisk" "--zap-all"'
	[ "$(wc -l <"$W/zaps" 2>/dev/null)" = 2 ] || note "sgdisk --zap-all ran $(wc -l <"$W/zaps" 2>/dev/null) times, want 2"
}

t_stale_kernel_busy() {
	new_disk D 64 || return
	make_parts "$D" --new=1:2048:+8192 --new=2:10240:+20480
	mkfs.ext4 -q "${D}p2" || note "TEST SETUP: mkfs failed"
	mkdir -p "$W/mnt"
	mount "${D}p2" "$W/mnt" || {
		note "TEST SETUP: mount failed"
		return
	}
	# Partition 2 leaves the table behind the kernel's back (sgdisk cannot
	# make the kernel re-read while it is mounted).
	sgdisk --delete=2 "$D" >/dev/null 2>&1
	[ -n "$(kpart "$D" 2)" ] || note "TEST SETUP: the kernel dropped partition 2"
	local before
	before=$(snapshot_disk "$D")
	disk_config "$D" '[{"number": 1}, {"number": 3, "sizeMiB": 4}]'
	run_disks
	expect_rc disks 1
	expect_msg disks "refusing to partition $D: ${D}p2 is mounted on $W/mnt, but the partition table has no partition 2 (the kernel's view is stale)"
	[ "$(snapshot_disk "$D")" = "$before" ] || note "the disk changed"
}

register part-create-explicit t_create_explicit
register part-create-zero t_create_zero
register part-autonumber t_autonumber
register part-sector-4k t_sector_4k
register part-keep t_keep
register part-mismatch t_mismatch
register part-mismatch-many t_mismatch_many
register part-shrink-message t_shrink_message
register part-wipe-entry t_wipe_entry
register part-wipe-entry-fill t_wipe_entry_fill
register part-resize t_resize
register part-resize-fill t_resize_fill
register part-delete t_delete
register part-delete-refused t_delete_refused
register part-wipe-table t_wipe_table
register part-dos-table t_dos_table
register part-mounted t_mounted
register part-disk-mounted t_disk_mounted
register part-two-disks t_two_disks
register part-two-disks-ok t_two_disks_ok
register part-same-disk-twice t_same_disk_twice
register part-missing-device t_missing_device
register part-overlap t_overlap
register part-rerun t_rerun
register part-zap-retry t_zap_retry
register part-zap-retry-fails t_zap_retry_fails
register part-stale-kernel-busy t_stale_kernel_busy
