// Runs one Ignition stage: acquire the config (provider or cache), then the stage body.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/config_fetcher.h"
#include "engine/flags.h"
#include "engine/platforms.h"
#include "engine/state.h"
#include "flint/base/result.h"
#include "flint/config/config.h"

namespace flint::engine {

// Ignition's exec.Engine for one invocation. Logs as Ignition does; the
// returned error is what main logs as "Ignition failed: <err>".
class StageRunner final
{
public:
	// `state` is borrowed and updated (fetched configs).
	StageRunner(const IgnitionOptions &options, ProviderInputs inputs, State &state);

	[[nodiscard]] Result<void> run();

private:
	[[nodiscard]] Result<config::Config> acquireConfig();
	[[nodiscard]] Result<config::Config> acquireProviderConfig();
	// The provider's config; nullopt when it has none (Ignition's ErrEmpty).
	[[nodiscard]] Result<std::optional<config::Config>> fetchProviderConfig();
	[[nodiscard]] Result<config::Config> acquireCachedConfig();
	[[nodiscard]] Result<config::Config> acquireBaseConfig();
	// The config named by ignition.config.url; nullopt when there is none.
	[[nodiscard]] Result<std::optional<std::string>> fetchCmdlineConfig();
	void logFetchedConfigs();

	const IgnitionOptions &options_;
	ProviderInputs inputs_;
	State &state_;
	Platform platform_;
	std::unique_ptr<StageConfigFetcher> fetcher_;
};

// Logs every entry of a report as Ignition's LogReport does: errors at
// CRITICAL, warnings at WARNING, infos at INFO.
void logReport(const config::Report &report);

} // namespace flint::engine
