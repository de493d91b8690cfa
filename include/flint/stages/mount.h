// The mount and umount stages: the config's filesystems with a path, mounted under the root by depth.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "flint/base/result.h"
#include "flint/config/types.h"

namespace flint::system {
class RootDir;
}

namespace flint::stages {

struct MountContext {
	system::RootDir *root = nullptr;
	std::chrono::milliseconds deviceTimeout = std::chrono::seconds(90);
	// Directories the mount stage created (root-relative, Ignition's state
	// notatedDirectories); mount appends to it. Borrowed; may be null.
	std::vector<std::string> *notatedDirectories = nullptr;
};

// Mounts each filesystem with a path (format other than swap/none), by path
// depth, creating missing mount points inside the root.
[[nodiscard]] Result<void> runMount(const config::Config &cfg, const MountContext &ctx);

// Unmounts them, deepest first.
[[nodiscard]] Result<void> runUmount(const config::Config &cfg, const MountContext &ctx);

} // namespace flint::stages
