// The files stage: users, groups, files, directories, links, systemd units, the result file and SELinux labels.
#pragma once

#include <cstddef>

#include "flint/base/result.h"
#include "flint/config/types.h"

namespace flint::fetch {
class Fetcher;
}
namespace flint::system {
class RootDir;
}

namespace flint::stages {

// What the files stage works with besides the config; pointers are borrowed.
struct FilesContext {
	system::RootDir *root = nullptr;
	// Configured by the engine with the config's timeouts, proxy and CAs.
	fetch::Fetcher *fetcher = nullptr;
	// Whether a user config (not only base configs) was given, for
	// /etc/.ignition-result.json.
	bool userConfigProvided = false;
	// SSH keys to ~/.ssh/authorized_keys.d/ignition (true) or
	// ~/.ssh/authorized_keys (false).
	bool authorizedKeysFragment = true;
	// At most this many remote contents in flight at once.
	std::size_t parallelFetches = 8;
};

// Runs the files stage as Ignition's does, in its order: groups and users,
// then files, directories and links (by depth, hard links last), systemd
// units and presets, the result file, then SELinux relabelling. Unlike
// Ignition, every file's contents (appends included) are fetched and verified
// before anything in the root changes, so a failed fetch leaves the root as
// it was; and every path is resolved inside the root.
[[nodiscard]] Result<void> runFiles(const config::Config &cfg, const FilesContext &ctx);

} // namespace flint::stages
