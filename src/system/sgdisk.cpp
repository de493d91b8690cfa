// sgdisk operations (work in progress).
#include "flint/system/sgdisk.h"

namespace flint::system {

std::vector<std::string> SgdiskOperation::argv(bool) const
{
	return {};
}

Result<std::map<int, SgdiskGeometry>> SgdiskOperation::pretend() const
{
	return unexpected("sgdisk is not implemented yet in this build of Flint");
}

Result<void> SgdiskOperation::commit() const
{
	return unexpected("sgdisk is not implemented yet in this build of Flint");
}

} // namespace flint::system
