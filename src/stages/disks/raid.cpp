// RAID arrays with mdadm (work in progress).
#include "disks_internal.h"

namespace flint::stages::disks {

Result<void> createRaids(const config::Config &cfg, Devices &)
{
	if (cfg.storage.raid.empty())
		return {};
	return unexpected("RAID is not implemented yet in this build of Flint");
}

} // namespace flint::stages::disks
