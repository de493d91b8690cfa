# Helpers for tests/disks/run: the case registry, loop devices, running stages, checks.
# shellcheck shell=bash

cases=()
declare -A case_fn case_arg
# register <name> <function> [argument]
register() {
	cases+=("$1")
	case_fn[$1]=$2
	case_arg[$1]=${3:-}
}

# cannot_run: prints why the suite cannot run here (and succeeds), or fails.
cannot_run() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root (loop devices, mkfs, mount)"
		return 0
	fi
	local t
	for t in losetup sgdisk wipefs mkfs.ext4 mkfs.xfs mkfs.btrfs mkswap blkid jq; do
		command -v "$t" >/dev/null || {
			echo "$t is not installed (tests/lib/install-deps.sh installs it)"
			return 0
		}
	done
	if ! losetup -f >/dev/null 2>&1; then
		echo "no free loop device (is the loop module loaded?)"
		return 0
	fi
	return 1
}

case_name=""
case_errors=""
case_loops=()
note() { case_errors+="${case_errors:+; }$1"; }
check() { # check <description> <command...>
	local what=$1
	shift
	"$@" || note "$what"
}

# begin <name>: a fresh case directory $W with the root $R and a hermetic
# environment; devices wait at most FLINT_DEVICE_TIMEOUT seconds.
begin() {
	case_name=$1
	case_errors=""
	case_loops=()
	W=$scratch/cases/$case_name
	R=$W/sysroot
	mkdir -p "$W/bin" "$W/run" "$W/sys/run" "$W/sys/etc" "$W/sys/usr" "$W/img" "$R/etc"
	: >"$W/cmdline"
	export IGNITION_KERNEL_CMDLINE_PATH=$W/cmdline
	export IGNITION_SYSTEM_RUNTIME_CONFIG_DIR=$W/sys/run IGNITION_SYSTEM_LOCAL_CONFIG_DIR=$W/sys/etc
	export IGNITION_SYSTEM_CONFIG_DIR=$W/sys/usr
	export IGNITION_CONFIG_FILE=$W/config.ign
	export FLINT_DEVICE_TIMEOUT=${FLINT_DEVICE_TIMEOUT_TEST:-5}
	export PATH="$W/bin:$base_path"
	cp /etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/login.defs "$R/etc/"
	cd "$W" || exit 1
}

# cleanup_case: unmounts whatever is mounted under $W (deepest first) and
# detaches this case's loop devices.
cleanup_case() {
	[ -n "${W:-}" ] || return 0
	local m
	while read -r m; do
		umount -l "$m" 2>/dev/null
	done < <(awk -v w="$W" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	for m in "${case_loops[@]}"; do
		swapoff "$m" 2>/dev/null
		losetup -d "$m" 2>/dev/null
	done
	case_loops=()
}

end() {
	cleanup_case
	cd "$scratch" || exit 1
	if [ "${case_errors#__skip__}" != "$case_errors" ]; then
		echo "SKIP $case_name: ${case_errors#__skip__}"
		skipped=$((skipped + 1))
	elif [ -z "$case_errors" ]; then
		echo "PASS $case_name"
		passed=$((passed + 1))
	else
		echo "FAIL $case_name: $case_errors"
		failed=$((failed + 1))
	fi
}

# skip <why>: ends the case as skipped (call then return from the case).
skip() {
	case_errors="__skip__$1"
}

# new_disk <var> <MiB> [sector size]: a sparse image attached as a loop
# device with partition support; its path goes into the variable <var>.
new_disk() {
	local var=$1 mib=$2 ssz=${3:-512} img dev
	img=$W/img/$var.img
	truncate -s "${mib}M" "$img" || return 1
	dev=$(losetup -P --sector-size "$ssz" -f --show "$img") || {
		note "TEST SETUP: losetup failed"
		return 1
	}
	case_loops+=("$dev")
	printf -v "$var" '%s' "$dev"
}

# run <prefix> <cmd...>: stdout, stderr and exit status in $W/<prefix>.{out,err,rc}.
run() {
	local p=$1
	shift
	"$@" >"$W/$p.out" 2>"$W/$p.err" </dev/null
	echo $? >"$W/$p.rc"
}
rc() { cat "$W/$1.rc" 2>/dev/null || echo none; }
has() { grep -qF -- "$2" "$W/$1.out" "$W/$1.err" 2>/dev/null; }
why() { grep -m1 -E '^(CRITICAL|ERROR)' "$W/$1.out" 2>/dev/null | cut -c1-400; }

stage_args() {
	echo -log-to-stdout -root "$R" -config-cache "$W/run/ignition.json" \
		-state-file "$W/run/ignition/state" -neednet "$W/run/ignition/neednet"
}

# fetch: fetch-offline, caching the config.
fetch() {
	rm -f "$W/run/ignition.json"
	# shellcheck disable=SC2046
	run fo timeout 120 "$FLINT" $(stage_args) -platform file -stage fetch-offline
	[ "$(rc fo)" = 0 ] || note "fetch-offline exit $(rc fo): $(why fo)"
}

# stage <name> [prefix]: runs one stage on the cached config; output in
# $W/<prefix>.{out,err,rc} (prefix defaults to the stage name).
stage() {
	# shellcheck disable=SC2046
	run "${2:-$1}" timeout 300 "$FLINT" $(stage_args) -platform file -stage "$1"
}

# config: the config from stdin to $W/config.ign (must be JSON).
config() {
	cat >"$W/config.ign"
	jq -e . "$W/config.ign" >/dev/null 2>&1 || note "TEST BUG: config is not JSON"
}

# expect_rc <prefix> <want>
expect_rc() {
	local got
	got=$(rc "$1")
	if [ "$got" != "$2" ]; then
		if [ "$got" = 0 ]; then note "$1: exit 0, want $2"; else note "$1: exit $got, want $2 ($(why "$1"))"; fi
	fi
}
# expect_msg <prefix> <text>
expect_msg() { has "$1" "$2" || note "$1: output lacks '$2'"; }

# blk <dev> <TAG>: a blkid tag of the device, probed (no cache).
blk() { blkid -p -o value -s "$2" "$1" 2>/dev/null; }

# parts <disk>: "N start size name type-guid guid" per partition, from sgdisk.
parts() {
	local disk=$1 n
	for n in $(sgdisk -p "$disk" 2>/dev/null | awk '/^ +[0-9]+ / { print $1 }'); do
		sgdisk -i "$n" "$disk" 2>/dev/null | awk -v n="$n" '
			/^Partition GUID code:/ { t = $4 }
			/^Partition unique GUID:/ { g = $4 }
			/^First sector:/ { s = $3 }
			/^Partition size:/ { z = $3 }
			/^Partition name:/ { sub(/^Partition name: /, ""); nm = $0 }
			END { printf "%s %s %s %s %s %s\n", n, s, z, nm, t, g }'
	done
}

# snapshot_disk <dev>: sha256 of the whole device (to prove it was not touched).
snapshot_disk() { sha256sum <"$1" | cut -d' ' -f1; }
