# bench/boot: the result is right; prints the boot's milestones (monotonic µs) as BENCH-TIME lines.
d=/dev/disk/by-id/virtio-data
expect_part $d 1 bench-data
expect_fs /dev/disk/by-partlabel/bench-data ext4 benchdata
expect_mounted /sysroot/var/lib/data
expect_content /sysroot/var/lib/data/ready "on the data disk"
expect_content /sysroot/etc/bench/motd "first boot by the agent"
expect_content /sysroot/etc/bench/app.conf "listen=127.0.0.1:8080
workers=4"
expect_mode /sysroot/etc/bench/app.conf 600
expect_content /sysroot/etc/hostname "bench-vm"
[ "$(readlink /sysroot/etc/bench/current)" = /etc/bench/app.conf ] || kola_fail "/etc/bench/current is not a link to /etc/bench/app.conf"
grep -q '^bench:x:1500:' /sysroot/etc/passwd || kola_fail "user bench (uid 1500) missing from /etc/passwd"
grep -q 'bench@flint' /sysroot/home/bench/.ssh/authorized_keys /sysroot/home/bench/.ssh/authorized_keys.d/* 2>/dev/null ||
	kola_fail "bench's SSH key missing"
[ -f /sysroot/etc/systemd/system/bench-app.service ] || kola_fail "bench-app.service not written"
grep -rqs 'bench-app.service' /sysroot/etc/systemd/system/multi-user.target.wants /sysroot/etc/systemd/system-preset ||
	kola_fail "bench-app.service not enabled (no wants link or preset)"
# Milestones: the manager's (kernel start is 0 on this clock), then the target.
for p in InitRDTimestampMonotonic UserspaceTimestampMonotonic; do
	echo "BENCH-TIME manager $p $(systemctl show -P "$p")"
done
echo "BENCH-TIME ignition-complete.target ActiveEnterTimestampMonotonic $(systemctl show -P ActiveEnterTimestampMonotonic ignition-complete.target)"
echo "BENCH-TIME kola-check.service ExecMainStartTimestampMonotonic $(systemctl show -P ExecMainStartTimestampMonotonic kola-check.service)"
