#!/bin/bash
# dracut module for the QEMU suite only: the check and failure-report units and the tools checks use.
# shellcheck disable=SC2154 # dracut sets moddir, initdir, systemdsystemunitdir, ...
#
# Put into both initramfs images (Flint's and Ignition 2.14's) by
# kola/lib/assets, so the two differ only in the agent's own module. It also
# installs the disk tools, since Ignition's module leaves them to the
# distribution, and a setfiles stub (see setfiles-stub).

check() {
	return 255
}

depends() {
	# dm: device-mapper's udev rules and dmsetup, without which cryptsetup
	# waits for udev forever.
	echo systemd dm
	return 0
}

installkernel() {
	hostonly='' instmods qemu_fw_cfg virtio_pci virtio_blk virtio_net virtio_console squashfs loop overlay \
		md_mod raid0 raid1 raid10 dm_mod dm_crypt af_alg algif_skcipher algif_hash xts ecb \
		ext4 xfs btrfs vfat nls_cp437 nls_iso8859-1 nls_utf8
}

install() {
	# The disks stage's tools (for both agents) and what checks use.
	inst_multiple sgdisk wipefs partx blkid lsblk findmnt mountpoint udevadm \
		mkfs.ext4 mke2fs mkfs.xfs mkfs.btrfs mkfs.fat mkfs.vfat mkswap mdadm cryptsetup \
		dumpe2fs awk sed grep sort uniq head tail cut tr wc stat cat ls sync od sha256sum modprobe \
		journalctl systemctl tee mkdir rm cp mv ln touch chmod dd date env find xargs basename dirname readlink sleep seq
	inst_multiple -o debugfs xfs_db btrfs
	[[ -f $dracutsysrootdir/etc/mke2fs.conf ]] && inst_simple /etc/mke2fs.conf
	inst_rules 63-md-raid-arrays.rules

	# Relabelling needs a policy this test root does not have; Ignition
	# 2.14 and Flint both run setfiles after the files stage. Only when the
	# build host has no setfiles of its own.
	if ! find_binary setfiles >/dev/null; then
		inst_script "$moddir/setfiles-stub" /usr/sbin/setfiles
	fi

	inst_simple "$moddir/check-lib.sh" /usr/lib/kola/check-lib.sh
	inst_script "$moddir/kola-check.sh" /usr/lib/kola/kola-check.sh
	inst_script "$moddir/kola-failure.sh" /usr/lib/kola/kola-failure.sh
	inst_simple "$moddir/kola-report.sh" /usr/lib/kola/kola-report.sh
	inst_simple "$moddir/kola-root.sh" /usr/lib/kola/kola-root.sh
	inst_simple "$moddir/kola-check.service" "$systemdsystemunitdir/kola-check.service"
	inst_simple "$moddir/kola-failure.service" "$systemdsystemunitdir/kola-failure.service"
	mkdir -p "$initdir$systemdsystemunitdir/initrd.target.wants" "$initdir$systemdsystemunitdir/emergency.target.wants"
	ln_r "$systemdsystemunitdir/kola-check.service" "$systemdsystemunitdir/initrd.target.wants/kola-check.service"
	ln_r "$systemdsystemunitdir/kola-failure.service" "$systemdsystemunitdir/emergency.target.wants/kola-failure.service"
}
