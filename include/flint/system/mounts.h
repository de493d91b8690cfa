// Mounting and unmounting with libmount.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "flint/base/result.h"

namespace flint::system {

// mount -t <type> -o <options> <source> <target>, through libmount.
[[nodiscard]] Result<void> mountFilesystem(const std::string &source, const std::string &target,
					   const std::string &type, const std::vector<std::string> &options);

// umount2(target, 0).
[[nodiscard]] Result<void> unmountFilesystem(const std::string &target);

// The topmost filesystem mounted on a directory, as /proc/self/mountinfo
// lists it.
struct MountedFilesystem {
	std::string source; // "/dev/vdb1"
	std::string type;   // "ext4"
	std::string options; // the mount's VFS options: "rw,noatime"
	unsigned major = 0;
	unsigned minor = 0;
};

// What is mounted on target (an absolute host path; symlinks in it are
// resolved first), or nullopt when target is not a mount point.
[[nodiscard]] Result<std::optional<MountedFilesystem>> mountedAt(const std::string &target);

// Whether the mounted filesystem lives on device (a node or a link to one):
// same device number, or the same node as its source (btrfs reports an
// anonymous device number).
bool mountedFrom(const MountedFilesystem &mounted, const std::string &device);

// Whether the filesystem with device number `dev` is mounted grpid (or
// bsdgroups: new files take their directory's group), by its superblock
// options in /proc/self/mountinfo; nullopt when that does not list it.
std::optional<bool> mountedGrpid(dev_t dev);

} // namespace flint::system
