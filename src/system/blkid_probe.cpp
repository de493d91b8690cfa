// libblkid superblock probing (work in progress).
#include "flint/system/blockdev.h"

namespace flint::system {

Result<FilesystemProbe> probeFilesystem(const std::string &dev)
{
	return unexpected("probing " + dev + " is not implemented yet in this build of Flint");
}

} // namespace flint::system
