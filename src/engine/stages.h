// The stage bodies: what each stage does with the rendered config.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>
#include <string_view>

#include "flint/base/result.h"
#include "flint/config/types.h"

namespace flint::fetch {
class Fetcher;
}

namespace flint::engine {

struct StageContext {
	std::string root;    // -root
	std::string needNet; // -neednet
	// The stage's fetcher, configured from the config; borrowed.
	fetch::Fetcher *fetcher = nullptr;
	// Whether a user config was fetched (state file), for the result file.
	bool userConfigProvided = false;
	bool authorizedKeysFragment = true;
	std::string kernelCmdlinePath = "/proc/cmdline";
	// How long disks and mount wait for each device (FLINT_DEVICE_TIMEOUT).
	std::chrono::milliseconds deviceTimeout = std::chrono::seconds(90);
	// The state file's luksPersistKeyFiles and notatedDirectories, read and
	// written by the stages; borrowed, may be null.
	std::map<std::string, std::string> *luksPersistKeyFiles = nullptr;
	std::vector<std::string> *notatedDirectories = nullptr;
};

// Runs stage `name` (already validated against stageNames()) on `cfg`.
[[nodiscard]] Result<void> runStageBody(std::string_view name, const config::Config &cfg, const StageContext &ctx);

// Whether anything in the config has to be fetched over the network (a
// source other than data: or empty, a Tang server without advertisement, a
// custom Clevis pin that needs the network): fetch-offline then writes the
// neednet flag file.
bool configNeedsNet(const config::Config &cfg);

// Creates the (empty) neednet flag file and its directory (0755).
[[nodiscard]] Result<void> signalNeedNet(const std::string &path);

} // namespace flint::engine
