# bench: shared by bench/disks/run and bench/boot/run (sourced): QEMU boots of a scenario through kola/lib.
# shellcheck shell=bash disable=SC2154,SC2034 # repo comes from the sourcing script; bench_vm_seconds is its result
#
# Needs $repo (the source tree) and a die function. The assets (kernel, root
# image, the two initramfs images: same dracut modules, only the agent's
# differs) come from kola/lib/assets, cached in /var/cache/flint-kola.

# bench_vm_init FLINT SCRATCH: checks the host, builds or finds the assets and
# exports their KOLA_* variables (kola/lib/scenario then uses them).
bench_vm_init() {
	local k v
	[ -x "$1" ] || die "no flint binary at $1 (set FLINT)"
	[ "$(id -u)" = 0 ] || die "needs root"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (tests/lib/install-deps.sh)"
	# kola/lib/vm's bound on one boot: 300 s by default, which a boot of these
	# scenarios exceeded on a 2-core host busy with other jobs (TCG).
	export KOLA_TIMEOUT=${KOLA_TIMEOUT:-600}
	echo "building or finding the VM assets (kola/lib/assets)..." >&2
	"$repo/kola/lib/assets" --flint "$1" all >"$2/assets.env" || die "assets failed"
	while IFS='=' read -r k v; do
		[[ $k == KOLA_* ]] && export "$k=$v"
	done <"$2/assets.env"
}

# bench_vm_boot AGENT SCENARIO OUT WHAT: one boot of scenario folder SCENARIO
# with AGENT (flint|ignition) into OUT (kola/lib/scenario's files; the boot's
# in OUT/boot1). A boot that fails, or whose check fails, ends the benchmark.
# Sets bench_vm_seconds: the host's wall time of the whole run (QEMU start to exit).
bench_vm_boot() {
	local t0 t1
	t0=$(date +%s%N)
	if ! "$repo/kola/lib/scenario" --agent "$1" --boots 1 --out "$3" "$2" >"$3.log" 2>&1; then
		cat "$3.log" >&2
		[ -s "$3/boot1/notes.txt" ] && sed 's/^/  /' "$3/boot1/notes.txt" >&2
		if [ -f "$3/boot1/console.log" ]; then
			echo "last lines of the console ($3/boot1/console.log):" >&2
			tr -d '\r' <"$3/boot1/console.log" | tail -15 | sed 's/^/  /' >&2
		fi
		die "$4: $1's boot failed (logs in $3; KEEP=1 keeps them)"
	fi
	t1=$(date +%s%N)
	bench_vm_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
}

# bench_vm_unit TIMES UNIT: "start exit" (monotonic µs) of a stage unit from a
# boot's times.txt (KOLA-TIME lines: unit, result, ExecMainStart, ExecMainExit).
bench_vm_unit() {
	awk -v u="$2" '$2 == u { print $4, $5 }' "$1"
}

# bench_vm_span TIMES UNIT_FROM UNIT_TO: µs from UNIT_FROM's start to UNIT_TO's exit.
bench_vm_span() {
	awk -v a="$2" -v b="$3" '$2 == a { s = $4 } $2 == b { e = $5 } END { print e - s }' "$1"
}
