// Mounting with libmount (work in progress).
#include "flint/system/mounts.h"

namespace flint::system {

Result<void> mountFilesystem(const std::string &source, const std::string &target, const std::string &,
			     const std::vector<std::string> &)
{
	return unexpected("mounting " + source + " on " + target + " is not implemented yet in this build of Flint");
}

Result<void> unmountFilesystem(const std::string &target)
{
	return unexpected("unmounting " + target + " is not implemented yet in this build of Flint");
}

} // namespace flint::system
