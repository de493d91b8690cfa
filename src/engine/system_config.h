// System configs: user.ign and the base.d / base.platform.d fragments a distribution ships.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"

namespace flint::engine {

// One config file read from a system config directory.
struct SystemConfigFile {
	std::string path; // where it was read from (for logs and the state file)
	std::string raw;
};

// `dirs`: the system config directories, highest priority first
// (ProviderInputs::systemConfigDirs).

// user.ign from the first directory of `dirs` that has one; nullopt when
// none does. A file that exists but cannot be read is an error.
[[nodiscard]] Result<std::optional<SystemConfigFile>> readUserConfig(const std::vector<std::string> &dirs);

// The base fragments in merge order: every file of <dir>/base.d, then every
// file of <dir>/base.platform.d/<platform>, each set the union over `dirs`
// sorted by file name, where a name present in several directories is taken
// from the highest-priority one. A subdirectory or an unreadable file is an
// error naming it.
[[nodiscard]] Result<std::vector<SystemConfigFile>> readBaseConfigs(const std::vector<std::string> &dirs,
								  std::string_view platform);

} // namespace flint::engine
