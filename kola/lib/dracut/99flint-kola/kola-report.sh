# kola: shared by kola-check.sh and kola-failure.sh (sourced): where results go and how the VM ends.
# shellcheck shell=bash

# QEMU's fw_cfg entries the harness (kola/lib/vm) passes.
KOLA_FW=/sys/firmware/qemu_fw_cfg/by_name/opt/org.flint
# The second serial port carries nothing but results; the first is the console.
KOLA_RESULTS=/dev/ttyS1
KOLA_WORK=/run/kola
# The stage units, in order.
KOLA_UNITS="ignition-fetch-offline ignition-fetch ignition-kargs ignition-disks ignition-mount ignition-files"

mkdir -p "$KOLA_WORK"
modprobe -q qemu_fw_cfg 2>/dev/null

KOLA_AGENT=ignition
[ -x /usr/bin/flint ] && KOLA_AGENT=flint
KOLA_BOOT=1
[ -r "$KOLA_FW/boot/raw" ] && KOLA_BOOT=$(cat "$KOLA_FW/boot/raw")
export KOLA_AGENT KOLA_BOOT

# Prints each stage unit's result and ExecMain start/exit (monotonic µs).
kola_times() {
	local u
	for u in $KOLA_UNITS; do
		echo "KOLA-TIME $u $(systemctl show -P Result "$u.service") $(systemctl show -P ExecMainStartTimestampMonotonic "$u.service") $(systemctl show -P ExecMainExitTimestampMonotonic "$u.service")"
	done
}

# Prints the stage units' journal, monotonic timestamps.
kola_journal() {
	local args=() u
	for u in $KOLA_UNITS "$@"; do
		args+=(-u "$u")
	done
	echo "KOLA-JOURNAL-BEGIN"
	journalctl -b --no-pager -o short-monotonic "${args[@]}" 2>&1
	echo "KOLA-JOURNAL-END"
}

# Writes stdin to the results port, and to the console too with "console".
kola_emit() {
	if [ "${1-}" = console ]; then
		tee -a "$KOLA_WORK/report" | tee /dev/console >"$KOLA_RESULTS"
	else
		tee -a "$KOLA_WORK/report" >"$KOLA_RESULTS"
	fi
}

# Runs the scenario's check script; its stdout to $KOLA_WORK/dump, stderr to
# $KOLA_WORK/notes. Exit status 0 when it reported no failure.
kola_run_check() {
	# Device links the check uses must be in place.
	udevadm settle --timeout=60 2>/dev/null
	if [ -r "$KOLA_FW/check/raw" ]; then
		cat "$KOLA_FW/check/raw" >"$KOLA_WORK/check.sh"
	else
		echo 'kola_fail "no check script in fw_cfg opt/org.flint/check"' >"$KOLA_WORK/check.sh"
	fi
	(
		. /usr/lib/kola/check-lib.sh
		. "$KOLA_WORK/check.sh"
		kola_end
	) >"$KOLA_WORK/dump" 2>"$KOLA_WORK/notes" </dev/null
}

# Emits the check's dump (results port) and notes (results and console),
# then the verdict line for exit status $1.
kola_emit_check() {
	{
		echo "KOLA-DUMP-BEGIN"
		cat "$KOLA_WORK/dump"
		echo "KOLA-DUMP-END"
	} | kola_emit
	{
		echo "KOLA-NOTES-BEGIN"
		cat "$KOLA_WORK/notes"
		echo "KOLA-NOTES-END"
	} | kola_emit console
	if [ "$1" = 0 ]; then
		echo "KOLA-CHECK-PASS" | kola_emit console
	else
		echo "KOLA-CHECK-FAIL (exit $1)" | kola_emit console
	fi
}

# Leaves the disks as clean as it can (best effort), then powers off at once.
kola_poweroff() {
	umount -R /sysroot 2>/dev/null
	mdadm --stop --scan 2>/dev/null
	local m
	for m in /dev/mapper/*; do
		[ "${m##*/}" = control ] || cryptsetup close "${m##*/}" 2>/dev/null
	done
	sync
	poweroff -f
}
