#!/bin/bash
# kola: runs the scenario's check script (QEMU fw_cfg opt/org.flint/check), reports on ttyS1 and powers off.
#
# The check's stdout is the dump the harness compares between Flint and
# Ignition; its stderr holds notes and FAIL lines. The verdict is
# KOLA-CHECK-PASS when the script reported no failure and exited 0.
#
# A boot into a real root (kola/run's PXE scenarios) has a test script
# instead (fw_cfg opt/org.flint/test): this then only stages it with the
# root-side runner in /run/kola (kept across switch-root), reports the
# stage times and lets the boot go on; the live root's kola-test.service
# runs it (kola-root.sh).
set -u
. /usr/lib/kola/kola-report.sh

if [ -r "$KOLA_FW/test/raw" ]; then
	cat "$KOLA_FW/test/raw" >"$KOLA_WORK/test.sh"
	cp /usr/lib/kola/check-lib.sh /usr/lib/kola/kola-root.sh "$KOLA_WORK/"
	echo "$KOLA_BOOT" >"$KOLA_WORK/boot"
	echo "$KOLA_AGENT" >"$KOLA_WORK/agent"
	{
		echo "KOLA-RESULT-BEGIN agent=$KOLA_AGENT boot=$KOLA_BOOT"
		kola_times
		echo "KOLA-TIME ignition-complete.target active $(systemctl show -P ActiveEnterTimestampMonotonic ignition-complete.target) -"
		echo "KOLA-INITRD-DONE"
	} | kola_emit
	exit 0
fi

kola_run_check
rc=$?
{
	echo "KOLA-RESULT-BEGIN agent=$KOLA_AGENT boot=$KOLA_BOOT"
	kola_times
} | kola_emit
kola_journal | kola_emit
kola_emit_check "$rc"
kola_poweroff
