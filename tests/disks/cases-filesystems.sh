# Cases for the disks stage's filesystems (and, where this host allows, LUKS and RAID).
# shellcheck shell=bash
#
# Filesystems are made by the real mkfs tools on loop devices (whole disks
# and partitions made here with sgdisk and registered with partx, as this
# host's kernel does not read partition tables). vfat is created and probed
# (mkfs.fat and libblkid work without the kernel's vfat). LUKS volumes are
# formatted by the real cryptsetup, but this host has no device-mapper, so a
# wrapper in $W/bin records `luksOpen` and checks its key with
# --test-passphrase instead of opening. RAID needs the md driver, which this
# host lacks: a fake mdadm in $W/bin records the argv and answers --examine
# from files the case writes. The QEMU suite runs the real thing.

# fs_config <filesystems JSON array> [more storage members]: a config with
# those filesystems.
fs_config() {
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {"filesystems": $1${2:+, $2}}}
EOF
}

# fs_disks: fetch-offline, then the disks stage; output in $W/disks.*.
fs_run() {
	fetch
	stage disks
}

# fs_expect_blk <dev> <TAG> <value>
fs_expect_blk() {
	local got
	got=$(blk "$1" "$2")
	[ "$got" = "$3" ] || note "$1: $2 is '$got', want '$3'"
}

# fs_partition <disk> <var1> <var2>: two 150 MiB partitions, registered
# with the kernel; their nodes go into the variables.
fs_partition() {
	local disk=$1
	sgdisk -n 1:2048:+150M -n 2:0:+150M "$disk" >/dev/null 2>&1 || {
		note "TEST SETUP: sgdisk failed"
		return 1
	}
	# partx registers the nodes synchronously (BLKPG); no udev here.
	partx -u -n 1:128 "$disk" >/dev/null 2>&1 || partx -a "$disk" >/dev/null 2>&1
	if [ ! -b "${disk}p1" ] || [ ! -b "${disk}p2" ]; then
		note "TEST SETUP: partitions of $disk did not appear"
		return 1
	fi
	printf -v "$2" '%s' "${disk}p1"
	printf -v "$3" '%s' "${disk}p2"
}

# fs_mount <dev>: mounts it on $W/mnt (cleanup_case unmounts it).
fs_mount() {
	mkdir -p "$W/mnt"
	mount "$1" "$W/mnt" || note "TEST SETUP: mount $1 failed"
}

# fs_log_order <prefix> <text...>: each text appears in the output, in this order.
fs_log_order() {
	local p=$1 last=0 t n
	shift
	for t in "$@"; do
		n=$(grep -nF -- "$t" "$W/$p.out" | head -1 | cut -d: -f1)
		if [ -z "$n" ]; then
			note "$p: output lacks '$t'"
			return
		fi
		[ "$n" -gt "$last" ] || note "$p: '$t' is logged out of order"
		last=$n
	done
}

# --- creation ---------------------------------------------------------------

fs_create_whole() {
	local format=$1 d uuid=3a4b5c6d-1111-4222-8333-0123456789ab
	new_disk d 320 || return
	fs_config "[{\"device\": \"$d\", \"format\": \"$format\", \"label\": \"l-$format\", \"uuid\": \"$uuid\"}]"
	fs_run
	expect_rc disks 0
	fs_expect_blk "$d" TYPE "$format"
	fs_expect_blk "$d" LABEL "l-$format"
	fs_expect_blk "$d" UUID "$uuid"
	expect_msg disks "created $format label=l-$format uuid=$uuid on $d"
	expect_msg disks "wiping filesystem signatures from \"/run/ignition/dev_aliases$d\""
	expect_msg disks "creating \"$format\" filesystem on \"/run/ignition/dev_aliases$d\""
}
register fs-create-ext4 fs_create_whole ext4
register fs-create-xfs fs_create_whole xfs
register fs-create-btrfs fs_create_whole btrfs
register fs-create-swap fs_create_whole swap

# Each format's mkfs argv, as Ignition builds it: options first, then the
# force flag, UUID and label.
fs_argv() {
	local d
	new_disk d 320 || return
	fs_config "[{\"device\": \"$d\", \"format\": \"ext4\", \"label\": \"root\",
		    \"uuid\": \"3A4B5C6D-1111-4222-8333-0123456789AB\", \"options\": [\"-b\", \"1024\", \"-m\", \"0\"]}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "executing: \"mkfs.ext4\" \"-b\" \"1024\" \"-m\" \"0\" \"-F\" \"-U\" \"3a4b5c6d-1111-4222-8333-0123456789ab\" \"-L\" \"root\" \"/run/ignition/dev_aliases$d\""
	fs_expect_blk "$d" BLOCK_SIZE 1024
	local reserved
	reserved=$(dumpe2fs -h "$d" 2>/dev/null | awk -F: '/^Reserved block count/ { gsub(/ /, "", $2); print $2 }')
	[ "$reserved" = 0 ] || note "reserved block count is '$reserved', want 0 (-m 0 not passed)"
}
register fs-options-ext4 fs_argv

fs_argv_xfs() {
	local d
	new_disk d 320 || return
	fs_config "[{\"device\": \"$d\", \"format\": \"xfs\", \"label\": \"var\",
		    \"uuid\": \"3a4b5c6d-1111-4222-8333-0123456789ab\", \"options\": [\"-s\", \"size=4096\"]}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "executing: \"mkfs.xfs\" \"-s\" \"size=4096\" \"-f\" \"-m\" \"uuid=3a4b5c6d-1111-4222-8333-0123456789ab\" \"-L\" \"var\" \"/run/ignition/dev_aliases$d\""
	# libblkid's BLOCK_SIZE of xfs is its sector size.
	fs_expect_blk "$d" BLOCK_SIZE 4096
}
register fs-options-xfs fs_argv_xfs

fs_argv_btrfs_swap() {
	local a b
	new_disk a 320 || return
	new_disk b 64 || return
	fs_config "[{\"device\": \"$a\", \"format\": \"btrfs\", \"label\": \"data\", \"options\": [\"--nodesize\", \"8192\"]},
		    {\"device\": \"$b\", \"format\": \"swap\", \"label\": \"sw\",
		     \"uuid\": \"3a4b5c6d-1111-4222-8333-0123456789ab\", \"options\": [\"--pagesize\", \"4096\"]}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "executing: \"mkfs.btrfs\" \"--nodesize\" \"8192\" \"--force\" \"-L\" \"data\" \"/run/ignition/dev_aliases$a\""
	expect_msg disks "executing: \"mkswap\" \"--pagesize\" \"4096\" \"-f\" \"-U\" \"3a4b5c6d-1111-4222-8333-0123456789ab\" \"-L\" \"sw\" \"/run/ignition/dev_aliases$b\""
	fs_expect_blk "$a" TYPE btrfs
	fs_expect_blk "$b" TYPE swap
	fs_expect_blk "$b" LABEL sw
}
register fs-options-btrfs-swap fs_argv_btrfs_swap

# vfat: the kernel here cannot mount it, but mkfs.fat and libblkid need no
# kernel support. A volume ID with a dash is passed without it, lower case.
fs_vfat() {
	command -v mkfs.fat >/dev/null || {
		skip "mkfs.fat is not installed"
		return
	}
	local d
	new_disk d 64 || return
	fs_config "[{\"device\": \"$d\", \"format\": \"vfat\", \"label\": \"EFI\", \"uuid\": \"A1B2-C3D4\"}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "executing: \"mkfs.fat\" \"-i\" \"a1b2c3d4\" \"-n\" \"EFI\" \"/run/ignition/dev_aliases$d\""
	fs_expect_blk "$d" TYPE vfat
	fs_expect_blk "$d" UUID A1B2-C3D4
	fs_expect_blk "$d" LABEL EFI
	# The same config again reuses it: the UUID matches with or without
	# the dash, in either case.
	local before
	before=$(snapshot_disk "$d")
	fs_config "[{\"device\": \"$d\", \"format\": \"vfat\", \"label\": \"EFI\", \"uuid\": \"a1b2c3d4\"}]"
	fetch
	stage disks again
	expect_rc again 0
	expect_msg again "reused vfat label=EFI uuid=A1B2-C3D4 on $d"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "reusing the vfat filesystem changed the device"
}
register fs-vfat fs_vfat

# On partitions, addressed by a symlink as /dev/disk/by-* links are.
fs_partitions() {
	local d p1 p2
	new_disk d 320 || return
	fs_partition "$d" p1 p2 || return
	ln -s "$p2" "$W/by-partlabel-var"
	fs_config "[{\"device\": \"$p1\", \"format\": \"ext4\", \"label\": \"root\"},
		    {\"device\": \"$W/by-partlabel-var\", \"format\": \"btrfs\", \"label\": \"var\"}]"
	fs_run
	expect_rc disks 0
	fs_expect_blk "$p1" TYPE ext4
	fs_expect_blk "$p1" LABEL root
	fs_expect_blk "$p2" TYPE btrfs
	fs_expect_blk "$p2" LABEL var
	expect_msg disks "on $W/by-partlabel-var ($p2)"
	# The partition table is still there.
	[ "$(parts "$d" | wc -l)" = 2 ] || note "the partition table changed: $(parts "$d")"
}
register fs-partitions fs_partitions

# Three filesystems are made at once (bounded by the CPUs); the log still
# reads in config order.
fs_concurrent() {
	local a b c
	new_disk a 320 || return
	new_disk b 320 || return
	new_disk c 320 || return
	fs_config "[{\"device\": \"$a\", \"format\": \"xfs\", \"label\": \"one\"},
		    {\"device\": \"$b\", \"format\": \"btrfs\", \"label\": \"two\"},
		    {\"device\": \"$c\", \"format\": \"ext4\", \"label\": \"three\"}]"
	fs_run
	expect_rc disks 0
	fs_expect_blk "$a" LABEL one
	fs_expect_blk "$b" LABEL two
	fs_expect_blk "$c" LABEL three
	fs_log_order disks "determining filesystem type of \"$a\"" "determining filesystem type of \"$b\"" \
		"determining filesystem type of \"$c\"" "[finished] creating \"xfs\" filesystem on" \
		"created xfs label=one" "[finished] creating \"btrfs\" filesystem on" "created btrfs label=two" \
		"[finished] creating \"ext4\" filesystem on" "created ext4 label=three"
}
register fs-concurrent fs_concurrent

# --- reuse --------------------------------------------------------------------

# An existing filesystem of the right type (and label and UUID where the
# config sets them) is kept: its data survives and not a byte changes.
fs_reuse() {
	local format=$1 d uuid
	new_disk d 320 || return
	case $format in
	ext4) mkfs.ext4 -q -F -L keep "$d" ;;
	xfs) mkfs.xfs -q -f -L keep "$d" ;;
	btrfs) mkfs.btrfs -q -f -L keep "$d" >/dev/null ;;
	esac
	fs_mount "$d"
	echo precious >"$W/mnt/data"
	umount "$W/mnt"
	uuid=$(blk "$d" UUID)
	local before
	before=$(snapshot_disk "$d")
	# The UUID in upper case still matches (it is compared lower-cased).
	fs_config "[{\"device\": \"$d\", \"format\": \"$format\", \"label\": \"keep\", \"uuid\": \"${uuid^^}\"}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "filesystem at \"$d\" is already correctly formatted. Skipping mkfs..."
	expect_msg disks "reused $format label=keep uuid=$uuid on $d"
	has disks "wiping filesystem signatures" && note "a reused filesystem was wiped"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "reusing the filesystem changed the device"
	fs_mount "$d"
	[ "$(cat "$W/mnt/data" 2>/dev/null)" = precious ] || note "the data on the reused filesystem is gone"
}
register fs-reuse-ext4 fs_reuse ext4
register fs-reuse-xfs fs_reuse xfs
register fs-reuse-btrfs fs_reuse btrfs

# Without label or UUID in the config, the type alone decides.
fs_reuse_type_only() {
	local d before
	new_disk d 64 || return
	mkswap -L whatever "$d" >/dev/null
	before=$(snapshot_disk "$d")
	fs_config "[{\"device\": \"$d\", \"format\": \"swap\"}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "reused swap label=whatever"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "reusing the swap area changed the device"
}
register fs-reuse-type-only fs_reuse_type_only

# format none on a blank device: nothing to do, not even wipefs.
fs_none_blank() {
	local d
	new_disk d 64 || return
	fs_config "[{\"device\": \"$d\", \"format\": \"none\"}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "left $d without a filesystem (format none)"
	has disks "wipefs" && note "wipefs ran on a blank device for format none"
}
register fs-none-blank fs_none_blank

# --- refusals (wipeFilesystem not set) ------------------------------------------

# fs_refuse <what differs>: an ext4 filesystem labelled "old" that the
# config describes differently is refused; the device is byte-identical.
fs_refuse() {
	local d before want reason
	new_disk d 320 || return
	mkfs.ext4 -q -F -L old -U 11111111-2222-4333-8444-555555555555 "$d"
	before=$(snapshot_disk "$d")
	case $1 in
	type)
		want='"format": "xfs"'
		reason="the type differs"
		;;
	label)
		want='"format": "ext4", "label": "new"'
		reason="the label differs"
		;;
	uuid)
		want='"format": "ext4", "label": "old", "uuid": "99999999-2222-4333-8444-555555555555"'
		reason="the UUID differs"
		;;
	none)
		want='"format": "none"'
		reason="the type differs"
		;;
	esac
	fs_config "[{\"device\": \"$d\", $want}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "failed to create filesystems: filesystem is not of the correct type: $d holds ext4 label=old uuid=11111111-2222-4333-8444-555555555555"
	expect_msg disks "($reason) and wipeFilesystem is not set; nothing was changed. Set wipeFilesystem: true"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the refused device changed"
}
register fs-refuse-type fs_refuse type
register fs-refuse-label fs_refuse label
register fs-refuse-uuid fs_refuse uuid
register fs-refuse-none fs_refuse none

# A refusal anywhere stops the step before any filesystem is made: the
# blank device before the refused one is untouched.
fs_refuse_first() {
	local a b c sa sb sc
	new_disk a 320 || return
	new_disk b 320 || return
	new_disk c 320 || return
	mkfs.xfs -q -f -L old "$b"
	sa=$(snapshot_disk "$a")
	sb=$(snapshot_disk "$b")
	sc=$(snapshot_disk "$c")
	fs_config "[{\"device\": \"$a\", \"format\": \"ext4\", \"label\": \"fresh\"},
		    {\"device\": \"$b\", \"format\": \"ext4\", \"label\": \"new\"},
		    {\"device\": \"$c\", \"format\": \"btrfs\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "filesystem is not of the correct type: $b holds xfs label=old"
	has disks "wiping filesystem signatures" && note "a device was wiped although another was refused"
	[ "$(snapshot_disk "$a")" = "$sa" ] || note "the blank device before the refused one was changed"
	[ "$(snapshot_disk "$b")" = "$sb" ] || note "the refused device changed"
	[ "$(snapshot_disk "$c")" = "$sc" ] || note "the device after the refused one was changed"
}
register fs-refuse-before-any-change fs_refuse_first

# The refusal comes before the partitions step too: a config that would
# partition a blank disk and then refuse a filesystem elsewhere fails with
# the blank disk still blank (Ignition 2.14 partitions it first). A
# filesystem on a disk the config partitions is not judged early: what is
# there now may not be there after partitioning.
fs_refuse_before_partitions() {
	local blank held sb sh
	new_disk blank 320 || return
	new_disk held 320 || return
	mkfs.ext4 -q -F -L keepme "$held"
	sb=$(snapshot_disk "$blank")
	sh=$(snapshot_disk "$held")
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {
  "disks": [{"device": "$blank", "partitions": [{"number": 1, "label": "fresh", "sizeMiB": 64}]}],
  "filesystems": [{"device": "${blank}p1", "format": "ext4", "label": "fresh"},
                  {"device": "$held", "format": "xfs", "label": "xfs"}]}}
EOF
	fs_run
	expect_rc disks 1
	expect_msg disks "failed to create filesystems: filesystem is not of the correct type: $held holds ext4 label=keepme"
	has disks "sgdisk" && note "sgdisk ran before the refusal"
	[ "$(snapshot_disk "$blank")" = "$sb" ] || note "the blank disk changed"
	[ "$(snapshot_disk "$held")" = "$sh" ] || note "the refused device changed"
}
register fs-refuse-before-partitions fs_refuse_before_partitions

# Two refusals: both are logged; the first in config order is the error.
fs_refuse_two() {
	local a b
	new_disk a 320 || return
	new_disk b 320 || return
	mkfs.ext4 -q -F -L aa "$a"
	mkfs.ext4 -q -F -L bb "$b"
	fs_config "[{\"device\": \"$a\", \"format\": \"xfs\"}, {\"device\": \"$b\", \"format\": \"btrfs\"}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "2 filesystems refused (each logged above); first: filesystem is not of the correct type: $a holds ext4 label=aa"
	expect_msg disks "filesystem is not of the correct type: $b holds ext4 label=bb"
}
register fs-refuse-two fs_refuse_two

# --- wipeFilesystem -----------------------------------------------------------

fs_wipe_replace() {
	local d
	new_disk d 320 || return
	mkfs.ext4 -q -F -L old "$d"
	fs_config "[{\"device\": \"$d\", \"format\": \"xfs\", \"label\": \"new\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 0
	fs_expect_blk "$d" TYPE xfs
	fs_expect_blk "$d" LABEL new
	expect_msg disks "created xfs label=new"
	expect_msg disks "on $d (wiped ext4 label=old uuid="
	# No trace of ext4 is left for libblkid to find.
	wipefs -n "$d" 2>/dev/null | grep -q ext4 && note "an ext4 signature survived"
}
register fs-wipe-replaces fs_wipe_replace

# wipeFilesystem with the same type still makes a new filesystem.
fs_wipe_same_type() {
	local d old
	new_disk d 320 || return
	mkfs.ext4 -q -F -L same "$d"
	old=$(blk "$d" UUID)
	fs_config "[{\"device\": \"$d\", \"format\": \"ext4\", \"label\": \"same\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 0
	[ "$(blk "$d" UUID)" != "$old" ] || note "the filesystem was not re-created (same UUID)"
}
register fs-wipe-same-type fs_wipe_same_type

fs_none_wipes() {
	local d
	new_disk d 320 || return
	mkfs.btrfs -q -f -L gone "$d" >/dev/null
	fs_config "[{\"device\": \"$d\", \"format\": \"none\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 0
	[ -z "$(blk "$d" TYPE)" ] || note "a filesystem is left: $(blk "$d" TYPE)"
	expect_msg disks "wiped $d, left without a filesystem (format none) (wiped btrfs label=gone"
	has disks "creating \"none\"" && note "mkfs ran for format none"
}
register fs-none-wipes fs_none_wipes

# Two signatures (an xfs superblock written over an ext4 one): libblkid is
# ambivalent; as Ignition, Flint warns and goes on with the first.
fs_ambivalent() {
	local d x
	new_disk d 320 || return
	new_disk x 320 || return
	mkfs.ext4 -q -F -L under "$d"
	mkfs.xfs -q -f -L over "$x"
	dd if="$x" of="$d" bs=512 count=1 conv=notrunc status=none
	blkid -p "$d" >/dev/null 2>&1
	[ $? = 8 ] || {
		note "TEST SETUP: the device is not ambivalent"
		return
	}
	fs_config "[{\"device\": \"$d\", \"format\": \"btrfs\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 0
	grep -q '^WARNING.*found multiple filesystem types' "$W/disks.out" || note "no warning about several signatures"
	fs_expect_blk "$d" TYPE btrfs
}
register fs-ambivalent fs_ambivalent

# --- busy devices -----------------------------------------------------------------

fs_mounted() {
	local d
	new_disk d 320 || return
	mkfs.ext4 -q -F -L busy "$d"
	fs_mount "$d"
	echo here >"$W/mnt/f"
	fs_config "[{\"device\": \"$d\", \"format\": \"xfs\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "refusing to wipe $d for the xfs filesystem: $d is mounted on $W/mnt; nothing was changed"
	has disks "wiping filesystem signatures" && note "wipefs ran on a mounted device"
	[ "$(cat "$W/mnt/f" 2>/dev/null)" = here ] || note "the mounted filesystem lost its data"
	umount "$W/mnt"
	fs_expect_blk "$d" TYPE ext4
}
register fs-refuse-mounted fs_mounted

# A whole disk whose partition is mounted is busy too; the other
# filesystem in the config is not made either.
fs_mounted_partition() {
	local d p1 p2 other before
	new_disk d 320 || return
	new_disk other 320 || return
	fs_partition "$d" p1 p2 || return
	mkfs.ext4 -q -F "$p2"
	fs_mount "$p2"
	before=$(snapshot_disk "$other")
	fs_config "[{\"device\": \"$other\", \"format\": \"ext4\"}, {\"device\": \"$d\", \"format\": \"xfs\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 1
	# The disk's own exclusive-open check may speak first ("in use").
	expect_msg disks "refusing to wipe $d for the xfs filesystem: "
	[ "$(snapshot_disk "$other")" = "$before" ] || note "the other device was formatted although the step was refused"
}
register fs-refuse-mounted-partition fs_mounted_partition

fs_swap_active() {
	local d
	new_disk d 64 || return
	mkswap "$d" >/dev/null
	swapon "$d" 2>/dev/null || {
		skip "swapon does not work on this host"
		return
	}
	fs_config "[{\"device\": \"$d\", \"format\": \"ext4\", \"wipeFilesystem\": true}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "$d is in use as swap"
	swapoff "$d"
	fs_expect_blk "$d" TYPE swap
}
register fs-refuse-active-swap fs_swap_active

# --- config mistakes caught before any change -------------------------------------

fs_same_device() {
	local d before
	new_disk d 64 || return
	ln -s "$d" "$W/other-name"
	before=$(snapshot_disk "$d")
	fs_config "[{\"device\": \"$d\", \"format\": \"ext4\"}, {\"device\": \"$W/other-name\", \"format\": \"xfs\"}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "\"$d\" and \"$W/other-name\" are the same device ($d), which can hold only one filesystem"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the device changed"
}
register fs-refuse-same-device fs_same_device

# Two entries that both keep one btrfs (to mount two subvolumes) are fine.
fs_same_device_reused() {
	local d before
	new_disk d 320 || return
	mkfs.btrfs -q -f -L pool "$d" >/dev/null
	ln -s "$d" "$W/by-label-pool"
	before=$(snapshot_disk "$d")
	fs_config "[{\"device\": \"$d\", \"format\": \"btrfs\", \"label\": \"pool\"},
		    {\"device\": \"$W/by-label-pool\", \"format\": \"btrfs\", \"mountOptions\": [\"subvol=home\"]}]"
	fs_run
	expect_rc disks 0
	[ "$(grep -c "reused btrfs label=pool" "$W/disks.out")" = 2 ] || note "both entries should reuse the filesystem"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the device changed"
}
register fs-same-device-reused fs_same_device_reused

fs_disk_and_partition() {
	local d p1 p2 before
	new_disk d 320 || return
	fs_partition "$d" p1 p2 || return
	before=$(snapshot_disk "$d")
	fs_config "[{\"device\": \"$p1\", \"format\": \"ext4\"}, {\"device\": \"$d\", \"format\": \"xfs\"}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "the filesystem on $d would overwrite the partition $p1 that another filesystem in the config uses"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the disk changed"
}
register fs-refuse-disk-and-partition fs_disk_and_partition

# Filesystems without format are waited for but not touched.
fs_no_format() {
	local d before
	new_disk d 64 || return
	mkfs.ext4 -q -F "$d"
	before=$(snapshot_disk "$d")
	fs_config "[{\"device\": \"$d\"}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "waiting for devices [$d]"
	has disks "determining filesystem type" && note "a filesystem without format was probed"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the device changed"
}
register fs-no-format fs_no_format

# A device that never appears: the wait ends (FLINT_DEVICE_TIMEOUT) and says which.
fs_missing_device() {
	local FLINT_DEVICE_TIMEOUT=1
	export FLINT_DEVICE_TIMEOUT
	fs_config "[{\"device\": \"/dev/disk/by-label/flint-no-such-label-$$\", \"format\": \"ext4\"}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "failed to create filesystems: failed to wait on filesystems devs"
	expect_msg disks "/dev/disk/by-label/flint-no-such-label-$$ does not exist"
}
register fs-missing-device fs_missing_device

# --- LUKS (host: real luksFormat, recorded luksOpen) -------------------------------

# fs_fake_cryptsetup: $W/bin/cryptsetup runs the real one, except that
# luksOpen (no device-mapper here) is recorded in $W/cryptsetup.log and
# only checks the key (--test-passphrase).
fs_fake_cryptsetup() {
	local real
	# shellcheck disable=SC2154 # base_path is set by tests/disks/run
	real=$(PATH=$base_path command -v cryptsetup) || {
		note "TEST SETUP: cryptsetup is not installed"
		return 1
	}
	cat >"$W/bin/cryptsetup" <<EOF
#!/bin/bash
# Test double (this host has no device-mapper): records every call; luksOpen
# only checks the key.
printf '%s\n' "\$*" >>"$W/cryptsetup.log"
if [ "\$1" = luksOpen ] && [ "\$2" != --test-passphrase ]; then
	dev=\$2 key=
	shift 3
	while [ \$# -gt 0 ]; do [ "\$1" = --key-file ] && key=\$2; shift; done
	exec "$real" luksOpen --test-passphrase "\$dev" --key-file "\$key"
fi
exec "$real" "\$@"
EOF
	chmod +x "$W/bin/cryptsetup"
	FS_CRYPTSETUP=$real
}

# Fast key derivation for tests (the default argon2 takes seconds).
FS_FAST_KDF='"--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000"'

# fs_luks_config <luks JSON array>: spec 3.4.0, the first with discard and
# openOptions.
fs_luks_config() {
	config <<EOF
{"ignition": {"version": "3.4.0"}, "storage": {"luks": $1}}
EOF
}

fs_luks_create() {
	local d key=secret-key-123 b64
	new_disk d 64 || return
	fs_fake_cryptsetup || return
	b64=$(printf %s "$key" | base64 -w0)
	fs_luks_config "[{\"name\": \"flint-fs-test\", \"device\": \"$d\", \"label\": \"crypt\",
		\"uuid\": \"12345678-1234-4234-8234-123456789ABC\", \"discard\": true,
		\"keyFile\": {\"source\": \"data:;base64,$b64\"},
		\"options\": [$FS_FAST_KDF], \"openOptions\": [\"--perf-no_read_workqueue\"]}]"
	fs_run
	expect_rc disks 0
	fs_expect_blk "$d" TYPE crypto_LUKS
	fs_expect_blk "$d" VERSION 2
	fs_expect_blk "$d" LABEL crypt
	fs_expect_blk "$d" UUID 12345678-1234-4234-8234-123456789abc
	local a=/run/ignition/dev_aliases$d
	grep -qE "^luksFormat --type luks2 --key-file /run/flint-luks-[^ ]+ --label crypt --uuid 12345678-1234-4234-8234-123456789ABC --pbkdf pbkdf2 --pbkdf-force-iterations 1000 $a\$" "$W/cryptsetup.log" ||
		note "luksFormat argv: $(grep luksFormat "$W/cryptsetup.log")"
	grep -qE "^luksOpen $a flint-fs-test --key-file /run/flint-luks-[^ ]+ --persistent --allow-discards --perf-no_read_workqueue\$" "$W/cryptsetup.log" ||
		note "luksOpen argv: $(grep '^luksOpen' "$W/cryptsetup.log")"
	expect_msg disks "created LUKS2 volume \"flint-fs-test\" on $d, opened as /dev/mapper/flint-fs-test (key from keyFile)"
	# The key goes to the state file as Ignition's data URL, for the files
	# stage to write /etc/luks/flint-fs-test.
	local saved
	saved=$(jq -r '.luksPersistKeyFiles["flint-fs-test"]' "$W/run/ignition/state" 2>/dev/null)
	[ "$saved" = "data:text/plain;charset=utf-8;base64,$b64" ] || note "state key is '$saved'"
	# The temporary key file is gone.
	local k
	k=$(grep -oE -- '--key-file /run/flint-luks-[^ ]+' "$W/cryptsetup.log" | head -1 | cut -d' ' -f2)
	if [ -z "$k" ] || [ -e "$k" ]; then note "temporary key file '$k' is left behind"; fi
}
register fs-luks-create fs_luks_create

# Without keyFile: a generated key (4096 random bytes, hex), persisted.
fs_luks_generated() {
	local d saved key
	new_disk d 64 || return
	fs_fake_cryptsetup || return
	fs_luks_config "[{\"name\": \"flint-fs-gen\", \"device\": \"$d\", \"options\": [$FS_FAST_KDF]}]"
	fs_run
	expect_rc disks 0
	saved=$(jq -r '.luksPersistKeyFiles["flint-fs-gen"]' "$W/run/ignition/state" 2>/dev/null)
	case $saved in
	data:text/plain\;charset=utf-8\;base64,*) ;;
	*) note "state key is '${saved:0:60}...'" ;;
	esac
	key=$(printf %s "${saved#*,}" | base64 -d 2>/dev/null)
	[[ $key =~ ^[0-9a-f]{8192}$ ]] || note "the generated key is not 8192 hex digits (${#key} bytes)"
	printf %s "$key" >"$W/key"
	"$FS_CRYPTSETUP" luksOpen --test-passphrase "$d" --key-file "$W/key" 2>/dev/null || note "the persisted key does not open the volume"
	expect_msg disks "(generated key)"
}
register fs-luks-generated-key fs_luks_generated

# fs_luks_existing <dev> <key>: a LUKS2 volume labelled "crypt" with that key.
fs_luks_existing() {
	printf %s "$2" >"$W/existing.key"
	"$FS_CRYPTSETUP" luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --label crypt \
		--key-file "$W/existing.key" "$1" </dev/null || note "TEST SETUP: luksFormat failed"
}

fs_luks_reuse() {
	local d before
	new_disk d 64 || return
	fs_fake_cryptsetup || return
	fs_luks_existing "$d" right-key
	before=$(snapshot_disk "$d")
	fs_luks_config "[{\"name\": \"flint-fs-reuse\", \"device\": \"$d\", \"label\": \"crypt\",
		\"keyFile\": {\"source\": \"data:,right-key\"}}]"
	fs_run
	expect_rc disks 0
	grep -q '^luksFormat' "$W/cryptsetup.log" && note "a reusable volume was formatted"
	grep -qE "^luksOpen /run/ignition/dev_aliases$d flint-fs-reuse --key-file [^ ]+ --persistent\$" "$W/cryptsetup.log" ||
		note "luksOpen argv: $(grep '^luksOpen' "$W/cryptsetup.log")"
	expect_msg disks "reused LUKS2 volume \"flint-fs-reuse\" on $d"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the reused volume changed"
	[ "$(jq -r '.luksPersistKeyFiles["flint-fs-reuse"]' "$W/run/ignition/state")" = \
		"data:text/plain;charset=utf-8;base64,$(printf right-key | base64)" ] || note "the reused volume's key is not persisted"
}
register fs-luks-reuse fs_luks_reuse

# fs_luks_refuse <case>: a volume that cannot be reused without wipeVolume;
# the device is byte-identical afterwards.
fs_luks_refuse() {
	local d before cfg want
	new_disk d 64 || return
	fs_fake_cryptsetup || return
	case $1 in
	wrong-key)
		fs_luks_existing "$d" right-key
		cfg='"label": "crypt", "keyFile": {"source": "data:,wrong-key"}'
		want="cannot be reused: failed to open device using specified keyfile"
		;;
	label)
		fs_luks_existing "$d" right-key
		cfg='"label": "other", "keyFile": {"source": "data:,right-key"}'
		want="cannot be reused: volume label \"crypt\" doesn't match expected label \"other\""
		;;
	no-keyfile)
		fs_luks_existing "$d" right-key
		cfg='"label": "crypt"'
		want="cannot be reused: config must specify keyfile"
		;;
	discard)
		fs_luks_existing "$d" right-key
		cfg='"discard": true, "keyFile": {"source": "data:,right-key"}'
		want="cannot be reused: volume allow-discards flag false doesn't match expected value true"
		;;
	luks1)
		printf %s right-key >"$W/k1"
		"$FS_CRYPTSETUP" luksFormat -q --type luks1 --pbkdf-force-iterations 1000 --key-file "$W/k1" "$d" </dev/null
		cfg='"keyFile": {"source": "data:,right-key"}'
		want="is a luks device but not luks2; Ignition cannot reuse it"
		;;
	ext4)
		mkfs.ext4 -q -F -L plain "$d"
		cfg='"keyFile": {"source": "data:,right-key"}'
		want="volume is not of the correct type: $d holds ext4 label=\"plain\", not a LUKS2 volume, and wipeVolume is not set"
		;;
	esac
	before=$(snapshot_disk "$d")
	fs_luks_config "[{\"name\": \"flint-fs-refuse\", \"device\": \"$d\", $cfg}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "$want"
	grep -qE '^(luksFormat|luksOpen [^-])' "$W/cryptsetup.log" && note "the volume was formatted or opened"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the refused device changed"
}
register fs-luks-refuse-wrong-key fs_luks_refuse wrong-key
register fs-luks-refuse-label fs_luks_refuse label
register fs-luks-refuse-generated-key fs_luks_refuse no-keyfile
register fs-luks-refuse-discard fs_luks_refuse discard
register fs-luks-refuse-luks1 fs_luks_refuse luks1
register fs-luks-refuse-other-filesystem fs_luks_refuse ext4

# wipeVolume replaces whatever is there (here ext4).
fs_luks_wipe() {
	local d
	new_disk d 64 || return
	fs_fake_cryptsetup || return
	mkfs.ext4 -q -F -L plain "$d"
	fs_luks_config "[{\"name\": \"flint-fs-wipe\", \"device\": \"$d\", \"wipeVolume\": true,
		\"keyFile\": {\"source\": \"data:,k\"}, \"options\": [$FS_FAST_KDF]}]"
	fs_run
	expect_rc disks 0
	expect_msg disks "wiping filesystem signatures from \"/run/ignition/dev_aliases$d\""
	fs_expect_blk "$d" TYPE crypto_LUKS
	expect_msg disks "(wiped ext4 label=\"plain\")"
}
register fs-luks-wipe fs_luks_wipe

# A second volume that cannot be reused stops the step before the first is
# formatted (keys and reuse checks come first).
fs_luks_refuse_first() {
	local a b sa
	new_disk a 64 || return
	new_disk b 64 || return
	fs_fake_cryptsetup || return
	mkfs.ext4 -q -F "$b"
	sa=$(snapshot_disk "$a")
	fs_luks_config "[{\"name\": \"flint-fs-one\", \"device\": \"$a\",
		\"keyFile\": {\"source\": \"data:,k\"}, \"options\": [$FS_FAST_KDF]},
		{\"name\": \"flint-fs-two\", \"device\": \"$b\", \"keyFile\": {\"source\": \"data:,k\"}}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "volume is not of the correct type: $b holds ext4"
	grep -q '^luksFormat' "$W/cryptsetup.log" && note "a volume was formatted although another was refused"
	[ "$(snapshot_disk "$a")" = "$sa" ] || note "the first device changed"
}
register fs-luks-refuse-before-any-change fs_luks_refuse_first

# clevis where the initramfs has no clevis: a clear error before any change.
fs_luks_no_clevis() {
	local d before
	if PATH=$base_path command -v clevis >/dev/null; then
		skip "clevis is installed here"
		return
	fi
	new_disk d 64 || return
	before=$(snapshot_disk "$d")
	fs_luks_config "[{\"name\": \"flint-fs-clevis\", \"device\": \"$d\", \"clevis\": {\"tpm2\": true}}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "LUKS volume \"flint-fs-clevis\" uses clevis, but \"clevis\" is not in this initramfs"
	[ "$(snapshot_disk "$d")" = "$before" ] || note "the device changed"
}
register fs-luks-no-clevis fs_luks_no_clevis

# --- RAID (host: recorded mdadm) ---------------------------------------------------

# fs_fake_mdadm: $W/bin/mdadm records each call in $W/mdadm.log; --examine
# prints $W/md-examine/<kernel name> when it exists (else "no superblock");
# --create and --assemble make /dev/md/<name> a link to the last member, as
# the md driver would make a node. (This host has no md driver.)
fs_fake_mdadm() {
	mkdir -p "$W/md-examine"
	cat >"$W/bin/mdadm" <<EOF
#!/bin/bash
# Test double (this host has no md driver).
printf '%s\n' "\$*" >>"$W/mdadm.log"
last=\${!#}
case \$1 in
--version) echo "mdadm - test double"; exit 0 ;;
--examine)
	f="$W/md-examine/\$(basename "\$(readlink -f "\$last")")"
	[ -f "\$f" ] && { cat "\$f"; exit 0; }
	echo "mdadm: No md superblock detected on \$last." >&2
	exit 1 ;;
--create|--assemble)
	case \$2 in /dev*) p=\$2 ;; *) p=/dev/md/\$2 ;; esac
	mkdir -p "\$(dirname "\$p")"
	ln -sfn "\$(readlink -f "\$last")" "\$p"
	echo "\$p" >>"$W/md-nodes"
	exit 0 ;;
esac
exit 1
EOF
	chmod +x "$W/bin/mdadm"
}

# fs_md_cleanup: removes the /dev/md links this case made.
fs_md_cleanup() {
	local p
	[ -f "$W/md-nodes" ] || return 0
	while read -r p; do rm -f "$p"; done <"$W/md-nodes"
	rmdir /dev/md 2>/dev/null
	return 0
}

# fs_md_member <dev> <name> <level> <devices> <uuid>: --examine output for dev.
fs_md_member() {
	printf 'MD_LEVEL=%s\nMD_DEVICES=%s\nMD_NAME=any:%s\nMD_UUID=%s\nMD_EVENTS=18\n' "$3" "$4" "$2" "$5" \
		>"$W/md-examine/$(basename "$(readlink -f "$1")")"
}

fs_raid_config() {
	config <<EOF
{"ignition": {"version": "$V"}, "storage": {"raid": $1}}
EOF
}

fs_raid_create() {
	local a b c name=flint-fs-$$-create
	new_disk a 64 || return
	new_disk b 64 || return
	new_disk c 64 || return
	fs_fake_mdadm
	fs_raid_config "[{\"name\": \"$name\", \"level\": \"raid1\", \"devices\": [\"$a\", \"$b\", \"$c\"],
		\"spares\": 1, \"options\": [\"--metadata=1.2\"]}]"
	fs_run
	expect_rc disks 0
	local al=/run/ignition/dev_aliases
	grep -qxF -- "--create $name --force --run --homehost any --level raid1 --raid-devices 2 --spare-devices 1 --metadata=1.2 $al$a $al$b $al$c" "$W/mdadm.log" ||
		note "mdadm argv: $(grep -- --create "$W/mdadm.log")"
	expect_msg disks "created RAID array \"$name\" (raid1, 3 devices: $a, $b, $c) as /dev/md/$name"
	fs_md_cleanup
}
register fs-raid-create fs_raid_create

# Members of another array (different name) are re-created, as Ignition does.
fs_raid_other_array() {
	local a b name=flint-fs-$$-other
	new_disk a 64 || return
	new_disk b 64 || return
	fs_fake_mdadm
	fs_md_member "$a" somethingelse raid1 2 aaaa:bbbb:cccc:dddd
	fs_md_member "$b" somethingelse raid1 2 aaaa:bbbb:cccc:dddd
	fs_raid_config "[{\"name\": \"$name\", \"level\": \"mirror\", \"devices\": [\"$a\", \"$b\"]}]"
	fs_run
	expect_rc disks 0
	grep -q -- "^--create $name " "$W/mdadm.log" || note "the array was not created"
	fs_md_cleanup
}
register fs-raid-other-array fs_raid_other_array

# Members that already form this array are assembled, not re-created: the
# array's data survives (beyond Ignition).
fs_raid_reuse() {
	local a b name=flint-fs-$$-reuse al=/run/ignition/dev_aliases
	new_disk a 64 || return
	new_disk b 64 || return
	fs_fake_mdadm
	fs_md_member "$a" "$name" raid1 2 aaaa:bbbb:cccc:dddd
	fs_md_member "$b" "$name" raid1 2 aaaa:bbbb:cccc:dddd
	fs_raid_config "[{\"name\": \"$name\", \"level\": \"1\", \"devices\": [\"$a\", \"$b\"]}]"
	fs_run
	expect_rc disks 0
	grep -q -- --create "$W/mdadm.log" && note "a matching array was re-created"
	grep -qxF -- "--assemble /dev/md/$name $al$a $al$b" "$W/mdadm.log" || note "mdadm calls: $(tr '\n' ';' <"$W/mdadm.log")"
	expect_msg disks "reused RAID array \"$name\" (1, 2 devices: $a, $b, uuid aaaa:bbbb:cccc:dddd): assembled as /dev/md/$name"
	fs_md_cleanup
}
register fs-raid-reuse-assemble fs_raid_reuse

# A matching array that is already running is kept as it is.
fs_raid_running() {
	local a b name=flint-fs-$$-running
	new_disk a 64 || return
	new_disk b 64 || return
	fs_fake_mdadm
	fs_md_member "$a" "$name" raid1 2 aaaa:bbbb:cccc:dddd
	fs_md_member "$b" "$name" raid1 2 aaaa:bbbb:cccc:dddd
	mkdir -p /dev/md && ln -sfn "$b" "/dev/md/$name" && echo "/dev/md/$name" >>"$W/md-nodes"
	fs_raid_config "[{\"name\": \"$name\", \"level\": \"raid1\", \"devices\": [\"$a\", \"$b\"]}]"
	fs_run
	expect_rc disks 0
	grep -qE -- '--(create|assemble)' "$W/mdadm.log" && note "a running array was touched: $(tr '\n' ';' <"$W/mdadm.log")"
	expect_msg disks "already running as /dev/md/$name"
	fs_md_cleanup
}
register fs-raid-reuse-running fs_raid_running

# Members that form the array but are held (it runs under another name):
# a clear error instead of a failed assemble.
fs_raid_reuse_held() {
	local a b name=flint-fs-$$-held
	new_disk a 64 || return
	new_disk b 64 || return
	fs_fake_mdadm
	fs_md_member "$a" "$name" raid1 2 aaaa:bbbb:cccc:dddd
	fs_md_member "$b" "$name" raid1 2 aaaa:bbbb:cccc:dddd
	mkfs.ext4 -q -F "$b"
	fs_mount "$b"
	fs_raid_config "[{\"name\": \"$name\", \"level\": \"raid1\", \"devices\": [\"$a\", \"$b\"]}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "cannot assemble RAID array \"$name\" (its devices already form it): $b is mounted on $W/mnt, but /dev/md/$name does not exist"
	grep -qE -- '--(create|assemble)' "$W/mdadm.log" && note "mdadm was run to change something"
	fs_md_cleanup
}
register fs-raid-reuse-held fs_raid_reuse_held

# Half the members carry the array (one disk was replaced): re-created as
# Ignition would, with a warning.
fs_raid_partial() {
	local a b name=flint-fs-$$-partial
	new_disk a 64 || return
	new_disk b 64 || return
	fs_fake_mdadm
	fs_md_member "$a" "$name" raid1 2 aaaa:bbbb:cccc:dddd
	fs_raid_config "[{\"name\": \"$name\", \"level\": \"raid1\", \"devices\": [\"$a\", \"$b\"]}]"
	fs_run
	expect_rc disks 0
	grep -q -- "^--create $name " "$W/mdadm.log" || note "the array was not re-created"
	grep -q '^WARNING.*1 of the 2 devices' "$W/disks.out" || note "no warning about the partial array"
	fs_md_cleanup
}
register fs-raid-partial fs_raid_partial

# A mounted member is refused before any array is created.
fs_raid_busy() {
	local a b c d name=flint-fs-$$-busy
	new_disk a 64 || return
	new_disk b 64 || return
	new_disk c 64 || return
	new_disk d 64 || return
	fs_fake_mdadm
	mkfs.ext4 -q -F "$d"
	fs_mount "$d"
	fs_raid_config "[{\"name\": \"$name-1\", \"level\": \"raid1\", \"devices\": [\"$a\", \"$b\"]},
		{\"name\": \"$name-2\", \"level\": \"raid1\", \"devices\": [\"$c\", \"$d\"]}]"
	fs_run
	expect_rc disks 1
	expect_msg disks "refusing to create RAID array \"$name-2\" on \"$d\": $d is mounted on $W/mnt; nothing was changed"
	grep -q -- --create "$W/mdadm.log" && note "an array was created although a member is busy"
	fs_md_cleanup
}
register fs-raid-refuse-busy fs_raid_busy
