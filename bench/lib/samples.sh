# bench: shared helpers for the benchmark scripts (sourced): raw samples for bench/run, statistics.
# shellcheck shell=bash

# bench_sample BENCH METRIC IMPL VALUE UNIT: when BENCH_SAMPLES names a file (bench/run sets
# it), appends one raw sample as a line "BENCH METRIC IMPL VALUE UNIT". BENCH_LABEL, when set,
# replaces BENCH (bench/run runs one benchmark at several sizes). Nothing otherwise.
bench_sample() {
	[ -n "${BENCH_SAMPLES:-}" ] || return 0
	echo "${BENCH_LABEL:-$1} $2 $3 $4 $5" >>"$BENCH_SAMPLES"
}

# bench_samples_file BENCH METRIC IMPL UNIT FILE COLUMN [SCALE]: one bench_sample per line of
# FILE (space-separated), the value being column COLUMN times SCALE (default 1).
bench_samples_file() {
	[ -n "${BENCH_SAMPLES:-}" ] && [ -f "$5" ] || return 0
	local v
	while read -r v; do
		bench_sample "$1" "$2" "$3" "$v" "$4"
	done < <(awk -v c="$6" -v s="${7:-1}" '{ printf "%.6g\n", $c * s }' "$5")
}

# bench_stats: "median min max count" of the numbers on stdin (one per line).
bench_stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - - 0"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR], NR }'
}
