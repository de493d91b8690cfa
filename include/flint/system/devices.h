// Waiting for block devices to appear (udev when it runs, the node itself otherwise) and Ignition's device aliases.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "flint/base/result.h"

namespace flint::system {

// Whether udev runs here (its control socket exists).
bool udevRunning();

// Waits until every path exists and resolves to a block device and, where
// udev runs, udev has finished with it (the device is initialised in udev's
// database, so its by-label/by-uuid links are in place). Bounded by
// `timeout`; on timeout the error names each device still missing and how
// long was waited. No D-Bus: sd-device's monitor wakes the wait early.
[[nodiscard]] Result<void> waitForDevices(const std::vector<std::string> &paths,
					  std::chrono::milliseconds timeout);

// `udevadm settle` when udev runs (bounded by its own timeout); nothing
// otherwise.
[[nodiscard]] Result<void> settleUdev();

// Creates <aliasDir>/<cleaned path> as a symlink to path's resolved node,
// replacing an old one, as Ignition's CreateDeviceAlias; returns the node.
[[nodiscard]] Result<std::string> createDeviceAlias(const std::string &aliasDir, const std::string &path);

// <aliasDir>/<cleaned path>.
std::string deviceAlias(const std::string &aliasDir, const std::string &path);

} // namespace flint::system
