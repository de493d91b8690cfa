#!/bin/bash
# kola: runs the scenario's test.sh in the booted root (staged in /run/kola by kola-check.sh), reports on ttyS1, powers off.
#
# Started by kola-test.service of the live root (kola/lib/live). The test's
# stdout is the dump, its stderr the notes; the verdict KOLA-CHECK-PASS or
# KOLA-CHECK-FAIL goes to both serial ports, the whole boot's journal to the
# results port only.
set -u
KOLA_WORK=/run/kola
KOLA_RESULTS=/dev/ttyS1
KOLA_BOOT=$(cat "$KOLA_WORK/boot" 2>/dev/null || echo 1)
KOLA_AGENT=$(cat "$KOLA_WORK/agent" 2>/dev/null || echo unknown)
export KOLA_BOOT KOLA_AGENT KOLA_IN_ROOT=1

emit() {
	tee -a "$KOLA_WORK/report-root" >"$KOLA_RESULTS"
}

echo "KOLA-ROOT-REACHED agent=$KOLA_AGENT boot=$KOLA_BOOT" | tee /dev/console | emit
# The manager's timestamps (monotonic µs since the kernel started): the
# initramfs, the switch into this root, and the end of this root's startup.
{
	printf 'KOLA-BOOT-TIMES'
	for p in InitRDTimestampMonotonic UserspaceTimestampMonotonic FinishTimestampMonotonic; do
		printf ' %s=%s' "$p" "$(systemctl show -P "$p" 2>/dev/null)"
	done
	echo
} | emit

(
	# shellcheck source=kola/lib/dracut/99flint-kola/check-lib.sh
	. "$KOLA_WORK/check-lib.sh"
	# shellcheck disable=SC1091
	. "$KOLA_WORK/test.sh"
	kola_end
) >"$KOLA_WORK/root-dump" 2>"$KOLA_WORK/root-notes" </dev/null
rc=$?

{
	echo "KOLA-DUMP-BEGIN"
	cat "$KOLA_WORK/root-dump"
	echo "KOLA-DUMP-END"
	echo "KOLA-JOURNAL-BEGIN"
	# The initramfs's part is in a journal file of another machine id: -m,
	# with this boot's id as a match (-b and -m do not go together).
	journalctl -m --no-pager -o short-monotonic "_BOOT_ID=$(tr -d - </proc/sys/kernel/random/boot_id)" 2>&1
	echo "KOLA-JOURNAL-END"
} | emit
{
	echo "KOLA-NOTES-BEGIN"
	cat "$KOLA_WORK/root-notes"
	echo "KOLA-NOTES-END"
	if [ "$rc" = 0 ]; then
		echo "KOLA-CHECK-PASS"
	else
		echo "KOLA-CHECK-FAIL (exit $rc)"
	fi
} | tee /dev/console | emit
sync
poweroff -f
