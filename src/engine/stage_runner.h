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

	// Runs the stage; on failure also writes and prints the failure
	// summary (failure_summary.h).
	[[nodiscard]] Result<void> run();

private:
	[[nodiscard]] Result<void> runStage();
	void reportFailure(const Error &error);
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
	// For the failure summary: what runStage() was doing, and the config
	// it came from (ignition.config.url, or a local file).
	std::string operation_;
	std::string configUrl_;
	std::string configPath_;
};

// Logs every entry of a report as Ignition's LogReport does: errors at
// CRITICAL, warnings at WARNING, infos at INFO.
void logReport(const config::Report &report);

} // namespace flint::engine
