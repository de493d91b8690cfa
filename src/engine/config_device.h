// ignition.config.device= + ignition.config.path=: the config from a file on a labelled filesystem.
#pragma once

#include <chrono>
#include <string>

#include "flint/base/result.h"

namespace flint::engine {

// Waits (at most `timeout`, woken by inotify, not by polling) for
// <byLabelDir>/<label>, mounts it read-only with `mount -o ro -t auto` on a
// temporary directory, reads <path> inside it and unmounts, as Ignition's
// cmdline provider does. Errors name the label, the path and the cause:
// "device \"CFG\" did not appear within 30s", "config file \"/x.ign\" not
// found on device \"CFG\"", "invalid device label \"../x\"".
[[nodiscard]] Result<std::string> readConfigFromDevice(const std::string &label, const std::string &path,
						       const std::string &byLabelDir, std::chrono::seconds timeout);

// Waits until `path` exists, at most `timeout`; false on timeout.
bool waitForPath(const std::string &path, std::chrono::milliseconds timeout);

} // namespace flint::engine
