// LUKS2 volumes with cryptsetup (work in progress).
#include "disks_internal.h"

namespace flint::stages::disks {

Result<void> createLuks(const config::Config &cfg, Devices &)
{
	if (cfg.storage.luks.empty())
		return {};
	return unexpected("LUKS is not implemented yet in this build of Flint");
}

} // namespace flint::stages::disks
