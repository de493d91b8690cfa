// Partition tables: reading with libblkid, telling the kernel with BLKPG (work in progress).
#include "flint/system/blockdev.h"

namespace flint::system {

Result<PartitionTable> readPartitionTable(const std::string &disk)
{
	return unexpected("reading the partition table of " + disk + " is not implemented yet in this build of Flint");
}

Result<std::uint64_t> logicalSectorSize(const std::string &dev)
{
	return unexpected("reading the sector size of " + dev + " is not implemented yet in this build of Flint");
}

Result<void> syncKernelPartitions(const std::string &disk, const PartitionTable &, const std::vector<int> &)
{
	return unexpected("updating the kernel's partitions of " + disk + " is not implemented yet in this build of Flint");
}

} // namespace flint::system
