# kola: helpers for scenario prepare.sh scripts, which fill disk images on the host before the first boot (sourced).
# shellcheck shell=bash
#
# Images are plain files: sgdisk works on them directly (as a 512-byte-sector
# disk), and a filesystem is made in a file of its own and copied into the
# partition's place, so no loop device or mount is needed.

# The image of disk $1.
disk() {
	echo "$KOLA_DISKS/$1.img"
}

# First sector of partition $2 of image $1 (512-byte sectors).
part_start() {
	sgdisk -i "$2" "$1" | sed -n 's/^First sector: \([0-9]*\).*/\1/p'
}

# Size in sectors of partition $2 of image $1.
part_sectors() {
	sgdisk -i "$2" "$1" | sed -n 's/^Partition size: \([0-9]*\) sectors.*/\1/p'
}

# Makes filesystem $1 (ext4, xfs, btrfs, swap, vfat) of the size of
# partition $3 of image $2 and writes it there; the rest are mkfs options.
put_fs() {
	local type=$1 img=$2 part=$3
	shift 3
	local start sectors tmp
	start=$(part_start "$img" "$part")
	sectors=$(part_sectors "$img" "$part")
	[ -n "$start" ] && [ -n "$sectors" ] || {
		echo "put_fs: no partition $part on $img" >&2
		return 1
	}
	tmp=$(mktemp "$KOLA_DISKS/fs.XXXXXX")
	truncate -s $((sectors * 512)) "$tmp"
	case $type in
	ext4) mkfs.ext4 -q -F "$@" "$tmp" ;;
	xfs) mkfs.xfs -q -f "$@" "$tmp" ;;
	btrfs) mkfs.btrfs -q -f "$@" "$tmp" ;;
	swap) mkswap -f "$@" "$tmp" >/dev/null ;;
	vfat) mkfs.fat "$@" "$tmp" >/dev/null ;;
	*) echo "put_fs: unknown type $type" >&2; rm -f "$tmp"; return 1 ;;
	esac
	# conv=sparse: the partition's area of a fresh image reads as zeros already.
	dd if="$tmp" of="$img" bs=1M seek=$((start * 512)) oflag=seek_bytes conv=notrunc,sparse status=none
	rm -f "$tmp"
}
