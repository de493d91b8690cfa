# kola: basic: checks in the booted live root what the config provisioned (users, SSH keys, files, units).
# shellcheck shell=bash
key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEtvbGFCYXNpY0tleUZvclRoZVB4ZVN1aXRlMDAwMDAw kola@basic"

[ "$(findmnt -n -o FSTYPE /)" = overlay ] || kola_fail "/ is $(findmnt -n -o FSTYPE /), expected the live root's overlay"
expect_user core "sudo kola"
[ "$(getent group kola | cut -d: -f3)" = 4242 ] || kola_fail "group kola: $(getent group kola), expected gid 4242"
[ -d /home/core ] || kola_fail "/home/core does not exist"
if cat /home/core/.ssh/authorized_keys /home/core/.ssh/authorized_keys.d/* 2>/dev/null | grep -qxF "$key"; then
	note "core's SSH key is in place"
else
	kola_fail "core's SSH key is in neither authorized_keys nor authorized_keys.d"
fi
[ "$(hostname)" = kola-basic ] || kola_fail "hostname is $(hostname), expected kola-basic"
expect_content /etc/kola/hello "provisioned by kola"
expect_mode /etc/kola/hello 600
expect_content /etc/kola/remote.txt "fetched over HTTP from the kola server"
[ "$(readlink /etc/kola/link)" = /etc/kola/hello ] || kola_fail "/etc/kola/link points to '$(readlink /etc/kola/link)'"
expect_mode /var/lib/kola 750
[ "$(stat -c %U:%G /var/lib/kola)" = core:kola ] || kola_fail "/var/lib/kola is owned by $(stat -c %U:%G /var/lib/kola)"
expect_unit is-enabled kola-hello.service enabled
expect_unit is-active kola-hello.service active
expect_content /run/kola-hello "hello from kola-hello"
expect_unit is-enabled kola-masked.service masked
systemctl show -P Environment systemd-journald.service | grep -q KOLA_DROPIN=1 ||
	kola_fail "systemd-journald.service does not have the drop-in's environment"
[ -f /etc/.ignition-result.json ] || kola_fail "/etc/.ignition-result.json is missing"

# What was provisioned, for the demo's summary.
echo "root: $(findmnt -n -o SOURCE,FSTYPE /)"
echo "hostname: $(hostname)"
echo "user: $(id core)"
echo "ssh key: $(cat /home/core/.ssh/authorized_keys.d/* /home/core/.ssh/authorized_keys 2>/dev/null | head -1 | cut -c1-40)..."
for f in /etc/kola/hello /etc/kola/remote.txt /etc/kola/link /var/lib/kola; do
	echo "file: $(stat -c '%A %U:%G' "$f") $f$([ -L "$f" ] && echo " -> $(readlink "$f")")"
done
echo "unit: kola-hello.service $(systemctl is-enabled kola-hello.service), $(systemctl is-active kola-hello.service)"
echo "unit: kola-masked.service $(systemctl is-enabled kola-masked.service)"
echo "drop-in: $(systemctl show -P DropInPaths systemd-journald.service)"
