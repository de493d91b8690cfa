// The stage bodies: what each stage does with the rendered config.
#pragma once

#include <string>
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
};

// Runs stage `name` (already validated against stageNames()) on `cfg`.
// Stages whose machinery has not landed yet succeed when the config asks
// nothing of them and otherwise fail saying so; nothing is faked.
[[nodiscard]] Result<void> runStageBody(std::string_view name, const config::Config &cfg, const StageContext &ctx);

// Whether anything in the config has to be fetched over the network (a
// source other than data: or empty, a Tang server without advertisement, a
// custom Clevis pin that needs the network): fetch-offline then writes the
// neednet flag file.
bool configNeedsNet(const config::Config &cfg);

// Creates the (empty) neednet flag file and its directory (0755).
[[nodiscard]] Result<void> signalNeedNet(const std::string &path);

} // namespace flint::engine
