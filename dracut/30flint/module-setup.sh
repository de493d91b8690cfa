#!/bin/bash
# dracut module for Flint: the flint binary as /usr/bin/ignition, the tools its stages run, the generator, units, live root and failure summary.
# shellcheck disable=SC2154 # dracut sets moddir, initdir, systemdsystemunitdir, ...
#
# The units carry Ignition's names and ordering, so whatever a distribution
# hangs off ignition-complete.target, ignition-diskful.target or the stage
# services works unchanged with Flint.
#
# The binary comes from $FLINT_BINARY (e.g. build/flint of a Flint build
# tree) or, as Ignition's packaging does, from a `flint` file placed in this
# module directory. This directory is assembled from dracut/30flint and
# systemd/ by dracut/install-module (units, targets and the generator live
# in systemd/ in the source tree).

# Only when asked for (dracut -m/--add flint) or required by another module.
check() {
	return 255
}

depends() {
	# bash: the generator and the scripts are bash.
	echo systemd bash
	return 0
}

installkernel() {
	# What the qemu platform and the disks and mount stages need from the
	# kernel: fw_cfg for the config, md and device-mapper for RAID and LUKS
	# (the userspace crypto API for cryptsetup's cipher check), and the
	# filesystems Ignition can create.
	hostonly='' instmods qemu_fw_cfg \
		md_mod raid0 raid1 raid10 raid456 dm_mod dm_crypt \
		af_alg algif_skcipher algif_hash xts ecb \
		ext4 xfs btrfs vfat nls_cp437 nls_iso8859-1 nls_utf8
	# The live root (root=flint:live): a squashfs on a loop device under
	# an overlay.
	hostonly='' instmods squashfs loop overlay
}

flint_binary() {
	if [[ -n ${FLINT_BINARY-} ]]; then
		echo "$FLINT_BINARY"
	else
		echo "$moddir/flint"
	fi
}

# Installs unit from this directory and makes target require it (want it,
# for emergency.target: a failing summary must not stop the emergency).
flint_unit() {
	local unit=$1 target=${2-} dep=requires
	inst_simple "$moddir/$unit" "$systemdsystemunitdir/$unit"
	if [[ -n $target ]]; then
		[[ $target == emergency.target ]] && dep=wants
		mkdir -p "$initdir$systemdsystemunitdir/$target.$dep"
		ln_r "$systemdsystemunitdir/$unit" "$systemdsystemunitdir/$target.$dep/$unit"
	fi
}

install() {
	local bin
	bin=$(flint_binary)
	if [[ ! -x $bin ]]; then
		dfatal "flint: no executable at $bin; set FLINT_BINARY to Flint's build/flint"
		return 1
	fi
	# inst resolves the shared libraries (libcurl, libblkid, libsystemd, ...).
	inst "$bin" /usr/bin/flint || return 1
	# One binary, dispatched on argv[0]: `ignition` runs one stage.
	ln_r /usr/bin/flint /usr/bin/ignition
	ln_r /usr/bin/flint /usr/bin/ignition-validate

	# The tools the stages run (include/flint/system/distro.h); optional as
	# in Ignition's module, so an image without RAID or LUKS still builds and
	# the stage names the missing tool if a config needs it.
	inst_multiple -o \
		sgdisk wipefs partx blkid lsblk udevadm mount umount modprobe \
		mkfs.ext4 mke2fs mkfs.xfs mkfs.btrfs mkfs.fat mkfs.vfat mkswap \
		mdadm cryptsetup clevis \
		useradd usermod userdel groupadd groupmod groupdel systemctl setfiles
	# mke2fs reads its defaults (ext4 features) from here.
	[[ -f $dracutsysrootdir/etc/mke2fs.conf ]] && inst_simple /etc/mke2fs.conf
	# /dev/md/<name> links for arrays the disks stage creates.
	inst_rules 63-md-raid-arrays.rules

	inst_script "$moddir/flint-generator" "$systemdutildir/system-generators/flint-generator"

	# The live root, flint.break stops and the failure summary.
	inst_multiple mountpoint timeout losetup sed head cut wc tail stat sha512sum dd fold tr
	inst_script "$moddir/flint-live-root" /usr/lib/flint/flint-live-root
	inst_script "$moddir/flint-break" /usr/lib/flint/flint-break
	inst_script "$moddir/flint-failure-summary" /usr/lib/flint/flint-failure-summary
	inst_hook cmdline 90 "$moddir/flint-live-cmdline.sh"
	# Ignition's generator and the kargs and files stages ask the
	# distribution's is-live-image; answer for root=flint:live unless the
	# image has its own.
	if [[ ! -e $initdir/usr/bin/is-live-image ]] && ! find_binary is-live-image >/dev/null; then
		inst_script "$moddir/is-live-image" /usr/bin/is-live-image
	fi
	flint_unit flint-live-root.service
	flint_unit flint-break-shell.service
	flint_unit flint-failure-summary.service emergency.target

	flint_unit ignition-complete.target
	flint_unit ignition-diskful.target
	flint_unit ignition-subsequent.target
	flint_unit ignition-diskful-subsequent.target
	flint_unit ignition-fetch-offline.service ignition-complete.target
	flint_unit ignition-fetch.service ignition-complete.target
	flint_unit ignition-kargs.service ignition-complete.target
	flint_unit ignition-disks.service ignition-complete.target
	flint_unit ignition-mount.service ignition-complete.target
	flint_unit ignition-files.service ignition-complete.target
	flint_unit ignition-remount-sysroot.service ignition-diskful.target
}
