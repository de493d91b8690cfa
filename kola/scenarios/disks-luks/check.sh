# disks-luks: LUKS2 header, mapping, ext4 inside, crypttab and key file as the files stage writes them.
# shellcheck shell=bash
part=/dev/disk/by-partlabel/crypt
key=kola-luks-key-0123456789
dump_disk /dev/disk/by-id/virtio-luks
dump_fs $part
cryptsetup isLuks --type luks2 $part || kola_fail "$part is not LUKS2"
luks=$(cryptsetup luksDump $part 2>&1)
grep -Eq '^Version:[[:space:]]+2$' <<<"$luks" || kola_fail "luksDump: version is not 2"
grep -Eq '^Label:[[:space:]]+kolaluks$' <<<"$luks" || kola_fail "luksDump: label is not kolaluks"
echo "luksDump: $(grep -E '^(Version|Label):' <<<"$luks" | tr -s ' \t' ' ' | tr '\n' ' ')"
[ -b /dev/mapper/secret ] || kola_fail "/dev/mapper/secret is not open"
cryptsetup status secret 2>/dev/null | grep -Eq "device:[[:space:]]+/dev/" || kola_fail "cryptsetup status secret: no backing device"
expect_fs /dev/mapper/secret ext4 secretfs
dump_fs /dev/mapper/secret
expect_mounted /sysroot/var/lib/secret
dump_mounts

# The key opens the volume (a second, read-only test activation).
printf %s "$key" | cryptsetup open --test-passphrase --key-file - $part || kola_fail "the config's key does not open $part"

# What the files stage persists for the real root.
uuid=$(cryptsetup luksUUID $part)
if [ -f /sysroot/etc/crypttab ]; then
	line=$(grep -E '^secret[[:space:]]' /sysroot/etc/crypttab)
	# Ignition 2.14 writes "luks"; later Ignition adds ",x-initrd.attach".
	grep -Eq "^secret UUID=$uuid /etc/luks/secret luks(,[a-z_.-]+)*\$" <<<"$line" ||
		kola_fail "crypttab line for secret is '$line', expected 'secret UUID=$uuid /etc/luks/secret luks[,...]'"
	echo "crypttab: $(sed "s/$uuid/<uuid>/" <<<"$line")"
	expect_mode /sysroot/etc/crypttab 600
else
	kola_fail "/sysroot/etc/crypttab was not written"
fi
expect_content /sysroot/etc/luks/secret "$key"
expect_mode /sysroot/etc/luks/secret 600
expect_mode /sysroot/etc/luks 700

if [ "$KOLA_BOOT" = 1 ]; then
	echo "written on boot 1" >/sysroot/var/lib/secret/kola-marker
	echo "$uuid" >/sysroot/var/lib/kola-luks-uuid
else
	expect_content /sysroot/var/lib/secret/kola-marker "written on boot 1"
	[ "$uuid" = "$(cat /sysroot/var/lib/kola-luks-uuid 2>/dev/null)" ] ||
		kola_fail "LUKS UUID $uuid differs from boot 1's $(cat /sysroot/var/lib/kola-luks-uuid 2>/dev/null): the volume was formatted again"
	expect_log ignition-disks.service 'volume at "/dev/disk/by-partlabel/crypt" is already correctly formatted'
	expect_log ignition-disks.service 'filesystem at "/dev/mapper/secret" is already correctly formatted'
fi
