// Partitioning: Ignition's sgdisk engine (work in progress).
#include "disks_internal.h"

namespace flint::stages::disks {

Result<void> createPartitions(const config::Config &cfg, Devices &)
{
	if (cfg.storage.disks.empty())
		return {};
	return unexpected("partitioning is not implemented yet in this build of Flint");
}

} // namespace flint::stages::disks
