// The mount and umount stages (work in progress).
#include "flint/stages/mount.h"

namespace flint::stages {

namespace {

bool anyMount(const config::Config &cfg)
{
	for (const config::Filesystem &fs : cfg.storage.filesystems)
		if (fs.path && !fs.path->empty())
			return true;
	return false;
}

} // namespace

Result<void> runMount(const config::Config &cfg, const MountContext &)
{
	if (!anyMount(cfg))
		return {};
	return unexpected("mounting filesystems is not implemented yet in this build of Flint");
}

Result<void> runUmount(const config::Config &cfg, const MountContext &)
{
	if (!anyMount(cfg))
		return {};
	return unexpected("unmounting filesystems is not implemented yet in this build of Flint");
}

} // namespace flint::stages
