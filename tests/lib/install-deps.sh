#!/bin/bash
# Installs every Debian 12 package Flint's build, tests and demo need (idempotent).
#
# Sourced by tests/run and kola/demo (call install_deps), or run directly as root.
# Skips apt entirely when everything is installed already; otherwise runs
# `apt-get update` once and `apt-get install -y` for the missing packages.

FLINT_PACKAGES=(
	build-essential g++ meson ninja-build pkg-config
	nlohmann-json3-dev libgtest-dev libcurl4-openssl-dev libssl-dev
	libblkid-dev libmount-dev libsystemd-dev zlib1g-dev
	ignition clang-14 libclang-rt-14-dev python3 jq
	openssl libwrap0
	gdisk e2fsprogs xfsprogs btrfs-progs dosfstools mdadm cryptsetup-bin util-linux
	qemu-system-x86 dracut-core dracut-network squashfs-tools shellcheck gnuplot-nox time debootstrap ipxe-qemu
	autoconf automake libtool autopoint dpkg-dev patch zstd cpio
)

# Prints the packages of FLINT_PACKAGES that are not installed.
missing_packages() {
	local p status
	for p in "${FLINT_PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
		[ "$status" = "install ok installed" ] || echo "$p"
	done
}

install_deps() {
	local missing
	missing=$(missing_packages)
	[ -z "$missing" ] && return 0
	# shellcheck disable=SC2086
	echo "installing:" $missing
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: not root; install these packages first:" $missing >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || return 1
	# shellcheck disable=SC2086
	apt-get install -y -q $missing || return 1
}

# Prints the path of Debian's in.tftpd (package tftpd-hpa) for the tests. The
# package is not installed: installing it enables a system TFTP service on
# port 69. Its binary is extracted from the .deb (Debian's archive) into
# /var/tmp/flint-tools once; an in.tftpd already on PATH is used as it is.
flint_tftpd() {
	local dir=/var/tmp/flint-tools/tftpd-hpa
	if command -v in.tftpd >/dev/null; then
		command -v in.tftpd
		return 0
	fi
	if [ ! -x "$dir/usr/sbin/in.tftpd" ]; then
		mkdir -p "$dir" || return 1
		if ! (cd "$dir" && apt-get download -q tftpd-hpa >/dev/null 2>&1); then
			[ "$(id -u)" = 0 ] || return 1
			apt-get update -q >/dev/null 2>&1 || return 1
			(cd "$dir" && apt-get download -q tftpd-hpa >/dev/null 2>&1) || return 1
		fi
		dpkg-deb -x "$dir"/tftpd-hpa_*.deb "$dir" || return 1
	fi
	echo "$dir/usr/sbin/in.tftpd"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	install_deps
fi
