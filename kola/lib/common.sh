# kola: shared shell definitions for kola/lib/{assets,vm,scenario} and the suites built on them (sourced).
# shellcheck shell=bash
# shellcheck disable=SC2034 # used by the scripts that source this

KOLA_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KOLA_DIR=$(cd "$KOLA_LIB/.." && pwd)
KOLA_REPO=$(cd "$KOLA_DIR/.." && pwd)
KOLA_CACHE=${KOLA_CACHE:-/var/cache/flint-kola}

# dracut modules of both initramfs images; only the agent's module differs.
# network/url-lib/systemd-networkd are what Ignition's module depends on
# (with systemd-networkd chosen as the network handler), listed for both.
KOLA_DRACUT_MODULES="base systemd systemd-initrd dracut-systemd udev-rules kernel-modules fs-lib qemu dm systemd-networkd network url-lib flint-kola"
KOLA_DRIVERS="squashfs overlay virtio_pci virtio_blk virtio_scsi virtio_net virtio_console virtio_rng qemu_fw_cfg loop ext4 xfs btrfs vfat nls_cp437 nls_iso8859-1 nls_utf8 md_mod raid0 raid1 raid10 dm_mod dm_crypt af_alg algif_skcipher algif_hash xts ecb"

kola_log() {
	echo "kola: $*" >&2
}

kola_die() {
	echo "kola: error: $*" >&2
	exit 1
}

# First 16 hex digits of the SHA-256 of stdin.
kola_hash() {
	sha256sum | cut -c1-16
}

# Hash of every file below the given directories (names, modes, link targets and contents).
kola_hash_tree() {
	local d
	for d in "$@"; do
		(cd "$d" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
		(cd "$d" && find . -printf '%p %m %l\n' | sort)
	done | kola_hash
}
