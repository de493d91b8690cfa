// The files stage: users, groups, files, directories, links, systemd units, the result file and SELinux labels.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

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
	// The state file's luksPersistKeyFiles (volume name -> data URL of its
	// key, left by the disks stage): written to /etc/luks/<name>, then
	// emptied, as Ignition drops them from the state. May be null when the
	// config has no storage.luks.
	std::map<std::string, std::string> *luksPersistKeyFiles = nullptr;
	// The state file's notatedDirectories (root-relative directories the
	// mount stage created): those in a configured user's home are given to
	// that user, mode 0700. May be null.
	const std::vector<std::string> *notatedDirectories = nullptr;
};

// Runs the files stage as Ignition's does, in its order: groups and users,
// then files, directories and links (by depth, hard links last), systemd
// units and presets, crypttab entries and LUKS key files, the result file,
// then SELinux relabelling. Unlike
// Ignition, every file's contents (appends included) are fetched and verified
// before anything in the root changes, so a failed fetch leaves the root as
// it was (so are the LUKS volumes' UUIDs and keys checked); and every path is
// resolved inside the root.
[[nodiscard]] Result<void> runFiles(const config::Config &cfg, const FilesContext &ctx);

} // namespace flint::stages
