#!/bin/bash
# dracut module for the QEMU suite only: root=flint:live for the Ignition 2.14 image, which has no live root of its own.
# shellcheck disable=SC2154 # dracut sets moddir, initdir, systemdsystemunitdir, systemdutildir
#
# Flint's module (dracut/30flint) provides root=flint:live itself; this is the
# same idea in a few lines (the squashfs inside the initramfs only, no URL,
# no failure summary), so that kola's basic-ignition scenario boots Debian's
# Ignition 2.14 by the same PXE path and kernel command line as Flint.

check() {
	return 255
}

depends() {
	echo systemd
	return 0
}

installkernel() {
	hostonly='' instmods squashfs loop overlay
}

install() {
	inst_multiple mount umount losetup mountpoint modprobe
	inst_hook cmdline 90 "$moddir/kola-live-cmdline.sh"
	inst_script "$moddir/kola-live-generator" "$systemdutildir/system-generators/kola-live-generator"
	inst_script "$moddir/kola-live-root" /usr/lib/kola/kola-live-root
	inst_simple "$moddir/kola-live-root.service" "$systemdsystemunitdir/kola-live-root.service"
	inst_script "$moddir/is-live-image" /usr/bin/is-live-image
}
