// Block devices: what is on them (libblkid, in process), whether they are busy, and telling the kernel about partitions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flint/base/result.h"

namespace flint::system {

// A filesystem (or other) signature found on a device by libblkid's
// low-level probe. type is empty when nothing is recognised.
struct FilesystemProbe {
	std::string type;  // "ext4", "xfs", "btrfs", "vfat", "swap", "crypto_LUKS", "linux_raid_member", ...
	std::string uuid;  // as blkid prints it
	std::string label;
	std::string version; // e.g. "2" for LUKS2, when blkid reports one
	bool ambivalent = false; // several signatures were found; the second probe allowed them
};

// Probes dev's superblocks with libblkid (no cache, no udev): as Ignition's
// GetFilesystemInfo, retrying once with ambivalent results allowed when the
// first probe finds several signatures.
[[nodiscard]] Result<FilesystemProbe> probeFilesystem(const std::string &dev);

// One GPT entry, in logical sectors.
struct PartitionEntry {
	int number = 0;
	std::uint64_t start = 0;
	std::uint64_t size = 0;
	std::string label;
	std::string guid;     // upper case
	std::string typeGuid; // upper case
};

// A disk's partition table as libblkid reads it (Ignition's DumpDisk).
struct PartitionTable {
	std::uint64_t logicalSectorSize = 512;
	std::uint64_t sizeSectors = 0; // the whole disk, in logical sectors
	std::vector<PartitionEntry> partitions; // by number
};

[[nodiscard]] Result<PartitionTable> readPartitionTable(const std::string &disk);

// The logical sector size of a block device (BLKSSZGET).
[[nodiscard]] Result<std::uint64_t> logicalSectorSize(const std::string &dev);

// A partition as the kernel sees it (/sys/class/block/<disk>/<name>), in
// 512-byte sectors whatever the disk's sector size.
struct KernelPartition {
	int number = 0;
	std::string name; // "vdb1", "loop0p1"
	std::uint64_t start = 0;
	std::uint64_t size = 0;
};

// The partitions the kernel has for disk, by number.
[[nodiscard]] Result<std::vector<KernelPartition>> kernelPartitions(const std::string &disk);

// Makes the kernel's view of disk's partitions match `table` (BLKPG delete,
// add and resize per number), so partition nodes exist with the right
// geometry even where the kernel does not parse GPT itself and no udev runs.
// Partitions the table lacks are deleted, missing ones added; one whose
// geometry differs is deleted and re-added if its number is in `changed`
// (rewritten: new contents) or its start moved, and resized in place
// otherwise. One that already matches is left alone (a GPT-reading kernel
// has usually caught up, and udev may hold it open). A partition in use
// that would have to go fails with what holds it.
[[nodiscard]] Result<void> syncKernelPartitions(const std::string &disk, const PartitionTable &table,
						const std::vector<int> &changed);

// Why dev cannot be wiped, repartitioned or formatted, or nullopt when it
// is free: "/dev/vdb1 is mounted on /sysroot/var", "/dev/vdb is held by
// md127", "/dev/vdb is in use (opened exclusively)". With
// includePartitions, partitions of a whole disk count too.
[[nodiscard]] Result<std::optional<std::string>> deviceInUse(const std::string &dev, bool includePartitions);

// The kernel name of a block device node ("vdb1" for /dev/vdb1 or a link to it).
[[nodiscard]] Result<std::string> kernelName(const std::string &dev);

} // namespace flint::system
