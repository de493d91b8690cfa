#!/bin/bash
# kola: the boot failed into emergency.target; reports the failed units and their journal, runs the check, powers off.
#
# The check still runs (with KOLA_FAILED_UNITS set), so a scenario that is
# meant to fail can assert what the failed stage left on the disks. The
# verdict is KOLA-STAGE-FAILED whatever the check says. A boot with a test
# for the real root (fw_cfg opt/org.flint/test) has no check to run; there
# the VM is left to dracut's rd.emergency=poweroff after a few seconds in
# which the agent's own failure summary reaches the console.
set -u
. /usr/lib/kola/kola-report.sh

failed=$(systemctl list-units --failed --plain --no-legend 2>/dev/null | awk '{print $1}')
{
	echo "KOLA-RESULT-BEGIN agent=$KOLA_AGENT boot=$KOLA_BOOT"
	kola_times
	echo "KOLA-FAILED-UNITS" $failed
} | kola_emit console
# shellcheck disable=SC2086
kola_journal $failed | kola_emit console
if [ -r "$KOLA_FW/test/raw" ]; then
	echo "KOLA-STAGE-FAILED" | kola_emit console
	sleep 5
	sync
	poweroff -f
fi
KOLA_FAILED_UNITS=$(echo $failed)
export KOLA_FAILED_UNITS
kola_run_check
kola_emit_check $?
echo "KOLA-STAGE-FAILED" | kola_emit console
kola_poweroff
