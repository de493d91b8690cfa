#!/bin/bash
# kola: runs the scenario's check script (QEMU fw_cfg opt/org.flint/check), reports on ttyS1 and powers off.
#
# The check's stdout is the dump the harness compares between Flint and
# Ignition; its stderr holds notes and FAIL lines. The verdict is
# KOLA-CHECK-PASS when the script reported no failure and exited 0.
set -u
. /usr/lib/kola/kola-report.sh

kola_run_check
rc=$?
{
	echo "KOLA-RESULT-BEGIN agent=$KOLA_AGENT boot=$KOLA_BOOT"
	kola_times
} | kola_emit
kola_journal | kola_emit
kola_emit_check "$rc"
kola_poweroff
