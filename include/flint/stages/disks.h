// The disks stage: partitions, RAID arrays, LUKS volumes and filesystems, in Ignition's order.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "flint/base/result.h"
#include "flint/config/types.h"

namespace flint::fetch {
class Fetcher;
}

namespace flint::stages {

struct DisksContext {
	// For LUKS key files; configured by the engine. Borrowed.
	fetch::Fetcher *fetcher = nullptr;
	// Where device aliases go (Ignition: /run/ignition/dev_aliases).
	std::string aliasDir = "/run/ignition/dev_aliases";
	// How long to wait for each sub-step's devices to appear.
	std::chrono::milliseconds deviceTimeout = std::chrono::seconds(90);
	// Where temporary key files go (tmpfs in the initramfs).
	std::string tempDir = "/run";
	// LUKS key files the files stage must write to /etc/luks/<name>:
	// volume name -> data URL (Ignition's state luksPersistKeyFiles).
	// Filled in here. Borrowed; may be null when the config has no LUKS.
	std::map<std::string, std::string> *luksPersistKeyFiles = nullptr;
};

// Runs the disks stage: waits for and aliases the referenced devices, then
// partitions, RAID, LUKS and filesystems, as Ignition does, refusing to
// touch a device that is mounted or held. Nothing to do (no disks, raid,
// luks or filesystems) returns at once without touching udev.
[[nodiscard]] Result<void> runDisks(const config::Config &cfg, const DisksContext &ctx);

} // namespace flint::stages
