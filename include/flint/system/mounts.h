// Mounting and unmounting with libmount.
#pragma once

#include <string>
#include <vector>

#include "flint/base/result.h"

namespace flint::system {

// mount -t <type> -o <options> <source> <target>, through libmount.
[[nodiscard]] Result<void> mountFilesystem(const std::string &source, const std::string &target,
					   const std::string &type, const std::vector<std::string> &options);

// umount2(target, 0).
[[nodiscard]] Result<void> unmountFilesystem(const std::string &target);

} // namespace flint::system
