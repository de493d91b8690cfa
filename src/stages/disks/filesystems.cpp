// Filesystems: probe, reuse or wipe and mkfs (work in progress).
#include "disks_internal.h"

namespace flint::stages::disks {

Result<void> createFilesystems(const config::Config &cfg, Devices &)
{
	if (cfg.storage.filesystems.empty())
		return {};
	return unexpected("filesystem creation is not implemented yet in this build of Flint");
}

} // namespace flint::stages::disks
