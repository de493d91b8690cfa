# Cases for the mount and umount stages: filesystems made here with mkfs on loop devices, mounted under $R.
# shellcheck shell=bash

# mnt_at <root-relative path>: "fstype source options" of the top mount there, or nothing.
mnt_at() {
	awk -v p="$R$1" '$5 == p { for (i = 7; $i != "-"; i++); print $(i + 1), $(i + 2), $6 }' /proc/self/mountinfo | tail -n1
}
# mnt_id <root-relative path> / mnt_parent <...>: the mount's id and its parent's.
mnt_id() { awk -v p="$R$1" '$5 == p { id = $1 } END { print id }' /proc/self/mountinfo; }
mnt_parent() { awk -v p="$R$1" '$5 == p { id = $2 } END { print id }' /proc/self/mountinfo; }
# mounted_anywhere <dev>: whether the device is mounted anywhere at all.
mounted_anywhere() { awk -v d="$1" '{ for (i = 7; $i != "-"; i++); if ($(i + 2) == d) f = 1 } END { exit !f }' /proc/self/mountinfo; }
# not <cmd...>: succeeds when the command fails (for check).
not() { ! "$@"; }
expect_mounted() { # <path> <fstype> <dev>
	local got
	got=$(mnt_at "$1")
	[ "${got%% *}" = "$2" ] && [ "$(echo "$got" | cut -d' ' -f2)" = "$3" ] ||
		note "$1: mounted '$got', want $2 from $3"
}
expect_unmounted() { [ -z "$(mnt_at "$1")" ] || note "$1 is still mounted ($(mnt_at "$1"))"; }
state() { jq -c "$1" "$W/run/ignition/state" 2>/dev/null; }
expect_state() { # <jq filter> <want>
	local got
	got=$(state "$1")
	[ "$got" = "$2" ] || note "state $1 is '$got', want '$2'"
}
# mkfs_on <dev> <type>
mkfs_on() {
	case $2 in
	ext4) mkfs.ext4 -q -F "$1" ;;
	xfs) mkfs.xfs -q -f "$1" ;;
	btrfs) mkfs.btrfs -q -f "$1" >/dev/null ;;
	swap) mkswap -q "$1" >/dev/null ;;
	esac || note "TEST SETUP: mkfs $2 on $1 failed"
}
# log_line <prefix> <text>: the number of the first output line with the text.
log_line() { grep -nF -- "$2" "$W/$1.out" | head -n1 | cut -d: -f1; }

c_mount_var() {
	local a
	new_disk a 64 || return
	mkfs_on "$a" ext4
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[{"device":"$a","format":"ext4","path":"/var"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	expect_mounted /var ext4 "$a"
	expect_msg mount "[finished] mounting \"$a\" at \"$R/var\" with type \"ext4\" and options \"\""
	expect_state .notatedDirectories '["/var"]'
	check "the mount point is not 0755: $(stat -c %a "$R/var")" test "$(stat -c %a "$R/var")" = 755
	stage umount
	expect_rc umount 0
	expect_msg umount "[finished] umounting \"$R/var\""
	expect_unmounted /var
}
register mount-ext4-var c_mount_var

# The config lists the deeper path first; /var must be mounted first, and
# /var/lib/data's mount point made on the /var filesystem.
c_mount_nested() {
	local a b
	new_disk a 64 || return
	new_disk b 320 || return
	mkfs_on "$a" ext4
	mkfs_on "$b" xfs
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[
 {"device":"$b","format":"xfs","path":"/var/lib/data"},
 {"device":"$a","format":"ext4","path":"/var"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	expect_mounted /var ext4 "$a"
	expect_mounted /var/lib/data xfs "$b"
	check "/var/lib/data is not mounted on the /var filesystem" test "$(mnt_parent /var/lib/data)" = "$(mnt_id /var)"
	local l1 l2
	l1=$(log_line mount "mounting \"$a\" at \"$R/var\"")
	l2=$(log_line mount "mounting \"$b\" at \"$R/var/lib/data\"")
	check "mount order in the log: /var at line ${l1:-none}, /var/lib/data at ${l2:-none}" test "${l1:-0}" -gt 0 -a "${l2:-0}" -gt "${l1:-0}"
	expect_state .notatedDirectories '["/var","/var/lib","/var/lib/data"]'
	stage umount
	expect_rc umount 0
	expect_unmounted /var/lib/data
	expect_unmounted /var
	l1=$(log_line umount "umounting \"$R/var/lib/data\"")
	l2=$(log_line umount "umounting \"$R/var\"")
	check "umount order in the log: /var/lib/data at line ${l1:-none}, /var at ${l2:-none}" test "${l1:-0}" -gt 0 -a "${l2:-0}" -gt "${l1:-0}"
}
register mount-nested-depth-order c_mount_nested

# Only the missing components are created and recorded, appended to what
# the state already has; other state members survive.
c_mount_notated() {
	local a
	new_disk a 64 || return
	mkfs_on "$a" ext4
	mkdir -p "$R/srv"
	chmod 700 "$R/srv"
	mkdir -p "$W/run/ignition"
	echo '{"fetchedConfigs":null,"luksPersistKeyFiles":{"k":"data:,x"},"notatedDirectories":["/home/core"],"futureMember":{"a":1}}' \
		>"$W/run/ignition/state"
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[{"device":"$a","format":"ext4","path":"/srv/a/b"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	expect_mounted /srv/a/b ext4 "$a"
	expect_state .notatedDirectories '["/home/core","/srv/a","/srv/a/b"]'
	expect_state .luksPersistKeyFiles '{"k":"data:,x"}'
	expect_state .futureMember '{"a":1}'
	check "existing /srv changed mode: $(stat -c %a "$R/srv")" test "$(stat -c %a "$R/srv")" = 700
	check "created /srv/a is not 0755" test "$(stat -c %a "$R/srv/a")" = 755
}
register mount-notated-directories c_mount_notated

# R/mnt is a symlink to a host directory: refused, before anything is
# mounted (not even the valid /a), and nothing lands on the host.
c_mount_symlink() {
	local a b host
	new_disk a 64 || return
	new_disk b 64 || return
	mkfs_on "$a" ext4
	mkfs_on "$b" ext4
	host=$W/host-target
	mkdir -p "$host"
	ln -s "$host" "$R/mnt"
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[
 {"device":"$a","format":"ext4","path":"/a"},
 {"device":"$b","format":"ext4","path":"/mnt/data"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 1
	expect_msg mount "mount path \"$R/mnt/data\" contains non-directory component \"$R/mnt\" (a symlink to \"$host\")"
	expect_msg mount "storage.filesystems.1.path"
	check "$b is mounted somewhere" not mounted_anywhere "$b"
	check "$a is mounted somewhere (nothing should be before the checks pass)" not mounted_anywhere "$a"
	check "something was created in the symlink's host target: $(ls -A "$host")" test -z "$(ls -A "$host")"
	check "/a was created although the stage refused" test ! -e "$R/a"
}
register mount-symlink-refused c_mount_symlink

# A symlink that only appears on a filesystem mounted by this stage is
# caught just before that mount, and nothing escapes either.
c_mount_symlink_on_mounted() {
	local a b host
	new_disk a 64 || return
	new_disk b 64 || return
	mkfs_on "$a" ext4
	mkfs_on "$b" ext4
	host=$W/host-target
	mkdir -p "$host" "$W/m"
	mount "$a" "$W/m" && ln -s "$host" "$W/m/lib" && umount "$W/m" || note "TEST SETUP: planting the link failed"
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[
 {"device":"$a","format":"ext4","path":"/var"},
 {"device":"$b","format":"ext4","path":"/var/lib/data"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 1
	expect_msg mount "contains non-directory component \"$R/var/lib\" (a symlink to \"$host\")"
	check "$b is mounted somewhere" not mounted_anywhere "$b"
	check "something was created in the symlink's host target: $(ls -A "$host")" test -z "$(ls -A "$host")"
}
register mount-symlink-on-mounted-fs c_mount_symlink_on_mounted

c_mount_file_component() {
	local a
	new_disk a 64 || return
	mkfs_on "$a" ext4
	echo data >"$R/opt"
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[{"device":"$a","format":"ext4","path":"/opt/x"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 1
	expect_msg mount "contains non-directory component \"$R/opt\" (a regular file)"
	check "$a is mounted somewhere" not mounted_anywhere "$a"
}
register mount-file-in-path-refused c_mount_file_component

c_mount_options() {
	local a
	new_disk a 64 || return
	mkfs_on "$a" ext4
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[{"device":"$a","format":"ext4","path":"/data","mountOptions":["ro","noatime"]}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	expect_mounted /data ext4 "$a"
	local opts
	opts=$(mnt_at /data | cut -d' ' -f3)
	check "mount options '$opts' lack ro" grep -qw ro <<<"${opts//,/ }"
	check "mount options '$opts' lack noatime" grep -qw noatime <<<"${opts//,/ }"
	expect_msg mount "with type \"ext4\" and options \"ro,noatime\""
}
register mount-options-ro-noatime c_mount_options

# Three filesystems (ext4, xfs, btrfs); umount takes them all down, and a
# second umount has nothing left to do (Ignition fails there).
c_mount_umount_all() {
	local a b c
	new_disk a 64 || return
	new_disk b 320 || return
	new_disk c 128 || return
	mkfs_on "$a" ext4
	mkfs_on "$b" xfs
	mkfs_on "$c" btrfs
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[
 {"device":"$a","format":"ext4","path":"/srv"},
 {"device":"$b","format":"xfs","path":"/srv/x"},
 {"device":"$c","format":"btrfs","path":"/home"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	expect_mounted /srv ext4 "$a"
	expect_mounted /srv/x xfs "$b"
	expect_mounted /home btrfs "$c"
	stage umount
	expect_rc umount 0
	expect_unmounted /srv/x
	expect_unmounted /srv
	expect_unmounted /home
	stage umount umount2
	expect_rc umount2 0
	expect_msg umount2 "is not mounted; nothing to unmount"
}
register mount-umount-all c_mount_umount_all

# A second mount stage (the unit restarted) finds its filesystems mounted.
c_mount_rerun() {
	local a
	new_disk a 64 || return
	mkfs_on "$a" ext4
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[{"device":"$a","format":"ext4","path":"/var"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	stage mount mount2
	expect_rc mount2 0
	expect_msg mount2 "\"$a\" is already mounted at \"$R/var\""
	local n
	n=$(awk -v p="$R/var" '$5 == p' /proc/self/mountinfo | wc -l)
	check "$n mounts at /var, want 1" test "$n" = 1
	expect_state .notatedDirectories '["/var"]'
}
register mount-rerun-skips c_mount_rerun

c_mount_missing_device() {
	local a missing=/dev/flint-test-no-such-disk-$$
	new_disk a 64 || return
	mkfs_on "$a" ext4
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[
 {"device":"$a","format":"ext4","path":"/var"},
 {"device":"$missing","format":"ext4","path":"/srv"}]}}
EOF
	fetch
	FLINT_DEVICE_TIMEOUT=1 stage mount
	expect_rc mount 1
	expect_msg mount "timed out after 1s waiting for device $missing"
	expect_msg mount "check storage.filesystems.1.device,"
	check "$a is mounted although a device is missing" not mounted_anywhere "$a"
	check "/var was created although a device is missing" test ! -e "$R/var"
}
register mount-missing-device-times-out c_mount_missing_device

# Ignition's mount stage skips swap and none; their paths are not created.
c_mount_swap_none() {
	local a s n
	new_disk a 64 || return
	new_disk s 64 || return
	new_disk n 64 || return
	mkfs_on "$a" ext4
	mkfs_on "$s" swap
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[
 {"device":"$s","format":"swap","path":"/swap"},
 {"device":"$n","format":"none","path":"/none"},
 {"device":"$a","format":"ext4","path":"/data"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	expect_mounted /data ext4 "$a"
	check "/swap was created" test ! -e "$R/swap"
	check "/none was created" test ! -e "$R/none"
	check "$s is in use as swap" not grep -q "^$s " /proc/swaps
	check "$s is mounted" not mounted_anywhere "$s"
	stage umount
	expect_rc umount 0
	expect_unmounted /data
}
register mount-swap-none-ignored c_mount_swap_none

# The wrong format: libmount's reason, with the device and the config field.
c_mount_wrong_type() {
	local a
	new_disk a 64 || return
	mkfs_on "$a" ext4
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[{"device":"$a","format":"xfs","path":"/data"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 1
	expect_msg mount "[failed]   mounting \"$a\" at \"$R/data\" with type \"xfs\""
	expect_msg mount "wrong fs type"
	expect_msg mount "$a holds ext4, not xfs: fix storage.filesystems.0.format"
	check "$a is mounted" not mounted_anywhere "$a"
}
register mount-wrong-type c_mount_wrong_type

# A process working in a mounted filesystem keeps it busy: umount says how
# to find it, and still unmounts the other filesystem.
c_mount_umount_busy() {
	local a b pid
	new_disk a 64 || return
	new_disk b 64 || return
	mkfs_on "$a" ext4
	mkfs_on "$b" ext4
	config <<EOF
{"ignition":{"version":"$V"},"storage":{"filesystems":[
 {"device":"$a","format":"ext4","path":"/busy"},
 {"device":"$b","format":"ext4","path":"/free"}]}}
EOF
	fetch
	stage mount
	expect_rc mount 0
	(cd "$R/busy" && exec sleep 60) &
	pid=$!
	# Until the process sits in the mount (bounded; not a timing assertion).
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$pid/cwd")" = "$R/busy" ] && break
		sleep 0.05
	done
	stage umount
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	expect_rc umount 1
	expect_msg umount "fuser -vm $R/busy"
	expect_unmounted /free
	check "/busy was unmounted although busy" test -n "$(mnt_at /busy)"
}
register mount-umount-busy-continues c_mount_umount_busy

c_mount_bad_timeout() {
	config <<EOF
{"ignition":{"version":"$V"}}
EOF
	fetch
	FLINT_DEVICE_TIMEOUT=soon stage mount
	expect_rc mount 1
	expect_msg mount 'FLINT_DEVICE_TIMEOUT="soon" is not a number of seconds'
	FLINT_DEVICE_TIMEOUT=0.5 stage mount mount2
	expect_rc mount2 0
}
register mount-bad-device-timeout-env c_mount_bad_timeout
