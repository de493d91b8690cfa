# kola: helpers for scenario check scripts (kola/scenarios/*/check.sh), sourced in the VM before the script.
# shellcheck shell=bash disable=SC2018,SC2019
#
# A check prints its dump on stdout: what must be identical between Flint and
# Ignition 2.14 (tables, filesystems, mounts), with volatile values such as
# random GUIDs replaced by <random>. Notes and failures go to stderr.
# KOLA_AGENT (flint|ignition) and KOLA_BOOT (1, 2) say which run this is;
# after a failed stage the check runs too, with KOLA_FAILED_UNITS set.

KOLA_FAILS=0
GUID_RE='[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}'

# Records a failure; the check goes on so that one run shows every problem.
kola_fail() {
	echo "FAIL: $*" >&2
	KOLA_FAILS=$((KOLA_FAILS + 1))
}

note() {
	echo "note: $*" >&2
}

# Waits (up to 10 s) until udev is idle and $1 is a block device: a
# partition table re-read after a writer closes the disk briefly removes and
# re-adds the partitions' /dev/disk links. Status 1 if it never appears.
kola_wait_dev() {
	local _
	for _ in $(seq 1 20); do
		udevadm settle --timeout=10 2>/dev/null
		[ -b "$1" ] && return 0
		sleep 0.5
	done
	return 1
}

# Ends the check: exit status 1 when anything failed.
kola_end() {
	[ "$KOLA_FAILS" -eq 0 ]
	exit $?
}

# Upper-cased values printed as they are: every UUID-like string of the
# rendered config, and the check's own KNOWN_IDS (ids planted by prepare.sh).
kola_known_ids() {
	{
		grep -Eo "$GUID_RE|\"uuid\": *\"[^\"]*\"" /run/ignition.json 2>/dev/null | sed 's/.*"uuid": *"\([^"]*\)"/\1/'
		for id in ${KNOWN_IDS-}; do echo "$id"; done
	} | tr a-z A-Z | sort -u
}

# Filter: replaces each GUID that is not a known id (or a partition type) with <random>.
kola_norm_guids() {
	awk -v known="$(kola_known_ids | tr '\n' ' ')" '
	BEGIN {
		n = split(known, k, " ")
		for (i = 1; i <= n; i++)
			ok[k[i]] = 1
		# mawk has no {n} repetition.
		h = "[0-9A-Fa-f]"; h4 = h h h h
		re = h4 h4 "-" h4 "-" h4 "-" h4 "-" h4 h4 h4
	}
	# Type GUIDs are never random.
	/^Partition GUID code:/ { print; next }
	{
		out = ""; rest = $0
		while (match(rest, re)) {
			g = substr(rest, RSTART, RLENGTH)
			out = out substr(rest, 1, RSTART - 1) ((toupper(g) in ok) ? g : "<random>")
			rest = substr(rest, RSTART + RLENGTH)
		}
		print out rest
	}'
}

# Whether $1 is a known id (case-insensitive).
kola_is_known() {
	kola_known_ids | grep -qxF "$(echo "$1" | tr a-z A-Z)"
}

# The partition numbers of disk $1.
partition_numbers() {
	sgdisk -p "$1" 2>/dev/null | awk '/^Number/ { t = 1; next } t && NF { print $1 }'
}

# Dumps disk $1's GPT (sgdisk -p) and each partition (sgdisk -i N).
dump_disk() {
	local dev=$1 n
	echo "== disk $dev"
	if ! kola_wait_dev "$dev"; then
		echo "(missing)"
		kola_fail "disk $dev does not exist"
		return
	fi
	sgdisk -p "$dev" 2>&1 | kola_norm_guids
	for n in $(partition_numbers "$dev"); do
		echo "-- partition $n"
		sgdisk -i "$n" "$dev" 2>&1 | kola_norm_guids
	done
}

# Dumps the signature on device $1 (blkid -p): type, label, UUID (or
# <random>), version and block size.
dump_fs() {
	local dev=$1 out
	echo "== filesystem $dev"
	if ! kola_wait_dev "$dev"; then
		echo "(missing)"
		kola_fail "device $dev does not exist"
		return
	fi
	out=$(blkid -p -o export "$dev" 2>/dev/null)
	if [ -z "$out" ]; then
		echo "(no signature)"
		return
	fi
	local line key value
	while IFS= read -r line; do
		key=${line%%=*}
		value=${line#*=}
		case $key in
		TYPE | LABEL | VERSION | BLOCK_SIZE | PTTYPE) echo "$key=$value" ;;
		UUID) kola_is_known "$value" && echo "UUID=$value" || echo "UUID=<random>" ;;
		esac
	done <<<"$out"
	case $(blkid -p -s TYPE -o value "$dev" 2>/dev/null) in
	ext4 | ext3 | ext2)
		dumpe2fs -h "$dev" 2>/dev/null | grep -E '^(Filesystem features|Block size|Inode size|Block count|Reserved block count|Filesystem flags):'
		;;
	esac
}

# Dumps what is mounted below /sysroot (not /sysroot itself): target, source
# (the device node: btrfs reports whichever path of the device it scanned
# last, e.g. a /run/ignition/dev_aliases link), type.
dump_mounts() {
	local target source type
	echo "== mounts below /sysroot"
	findmnt -rn -o TARGET,SOURCE,FSTYPE | awk '$1 ~ /^\/sysroot\// { print }' | sort |
		while read -r target source type; do
			[ -e "$source" ] && source=$(readlink -f "$source")
			echo "$target $source $type"
		done
}

# Dumps RAID array $1 (/dev/md/NAME): level, member count, metadata, name, members.
dump_md() {
	local dev=$1
	echo "== raid $dev"
	if ! kola_wait_dev "$dev"; then
		echo "(missing)"
		kola_fail "array $dev does not exist"
		return
	fi
	mdadm --detail --export "$dev" 2>&1 | grep -E '^MD_(LEVEL|DEVICES|METADATA|NAME)='
	mdadm --detail "$dev" 2>/dev/null | awk '/active sync|spare/ { print "member " $NF }' | sort
}

# The agent's log lines for unit $1 (message text only).
agent_log() {
	journalctl -b --no-pager -o cat -u "$1" 2>/dev/null
}

# Fails unless the journal of unit $1 has a line matching extended regex $2.
expect_log() {
	if agent_log "$1" | grep -Eq -- "$2"; then
		note "$1 logged /$2/"
	else
		kola_fail "$1 did not log /$2/"
	fi
}

# Fails unless $1 is a mount point.
expect_mounted() {
	mountpoint -q "$1" || kola_fail "$1 is not mounted"
}

# Fails unless file $1 holds exactly $2 (no trailing newline added).
expect_content() {
	local got
	if ! [ -f "$1" ]; then
		kola_fail "$1 does not exist"
		return
	fi
	got=$(cat "$1")
	[ "$got" = "$2" ] || kola_fail "$1 holds '$got', expected '$2'"
}

# Fails unless $1 has octal mode $2 (e.g. 600).
expect_mode() {
	local got
	got=$(stat -c %a "$1" 2>/dev/null)
	[ "$got" = "$2" ] || kola_fail "$1 has mode ${got:-?}, expected $2"
}

# Fails unless device $1 carries filesystem type $2 with label $3 (if given
# and not "-") and UUID $4 (if given; case-insensitive).
expect_fs() {
	local dev=$1 type=$2 label=${3-} uuid=${4-} got
	kola_wait_dev "$dev" || {
		kola_fail "$dev does not exist"
		return
	}
	got=$(blkid -p -s TYPE -o value "$dev" 2>/dev/null)
	[ "$got" = "$type" ] || kola_fail "$dev: filesystem type '${got}', expected '$type'"
	if [ -n "$label" ] && [ "$label" != - ]; then
		got=$(blkid -p -s LABEL -o value "$dev" 2>/dev/null)
		[ "$got" = "$label" ] || kola_fail "$dev: label '$got', expected '$label'"
	fi
	if [ -n "$uuid" ]; then
		got=$(blkid -p -s UUID -o value "$dev" 2>/dev/null)
		[ "$(echo "$got" | tr a-z A-Z)" = "$(echo "$uuid" | tr a-z A-Z)" ] ||
			kola_fail "$dev: UUID '$got', expected '$uuid'"
	fi
}

# Fails unless disk $1 has partition $2 named $3, starting at sector $4 (if
# given and not "-") with $5 sectors (if given).
expect_part() {
	local disk=$1 n=$2 label=$3 first=${4-} size=${5-} info got
	kola_wait_dev "$disk" || {
		kola_fail "disk $disk does not exist"
		return
	}
	info=$(sgdisk -i "$n" "$disk" 2>/dev/null)
	if ! grep -q '^First sector:' <<<"$info" || grep -q 'does not exist' <<<"$info"; then
		kola_fail "$disk: no partition $n"
		return
	fi
	got=$(sed -n "s/^Partition name: '\(.*\)'\$/\1/p" <<<"$info")
	[ "$got" = "$label" ] || kola_fail "$disk partition $n: name '$got', expected '$label'"
	if [ -n "$first" ] && [ "$first" != - ]; then
		got=$(sed -n 's/^First sector: \([0-9]*\).*/\1/p' <<<"$info")
		[ "$got" = "$first" ] || kola_fail "$disk partition $n: first sector $got, expected $first"
	fi
	if [ -n "$size" ]; then
		got=$(sed -n 's/^Partition size: \([0-9]*\) sectors.*/\1/p' <<<"$info")
		[ "$got" = "$size" ] || kola_fail "$disk partition $n: $got sectors, expected $size"
	fi
}

# Fails if disk $1 has a partition $2.
expect_no_part() {
	sgdisk -i "$2" "$1" 2>/dev/null | grep -q '^First sector:' && kola_fail "$1: partition $2 still exists"
	return 0
}

# --- for test.sh in the booted root (PXE scenarios, kola-root.sh) -------------

# Fails unless user $1 exists, and (if given) is in each group of $2 (space separated).
expect_user() {
	local u=$1 g groups
	if ! groups=$(id -nG "$u" 2>/dev/null); then
		kola_fail "user $u does not exist"
		return
	fi
	for g in ${2-}; do
		[[ " $groups " == *" $g "* ]] || kola_fail "user $u is not in group $g (groups: $groups)"
	done
}

# Fails unless systemctl's $1 (is-active, is-enabled, ...) of unit $2 prints $3.
expect_unit() {
	local got
	got=$(systemctl "$1" "$2" 2>/dev/null)
	[ "$got" = "$3" ] || kola_fail "systemctl $1 $2: '$got', expected '$3'"
}

# Fails unless the file $1 has a line equal to $2.
expect_line() {
	grep -qxF -- "$2" "$1" 2>/dev/null || kola_fail "$1 has no line '$2'"
}
