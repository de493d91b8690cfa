// The fetcher the stages use: config resources for the renderer, CAs, timeouts and proxy from the config.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "engine/platforms.h"
#include "engine/render.h"
#include "flint/fetch/fetcher.h"

namespace flint::engine {

// Ignition's resource.Fetcher as the engine drives it: fetches with the
// settings of the config in force (UpdateHttpTimeoutsAndCAs), remembers the
// CA bundles it fetched, and tells whether a fetch needed the network while
// offline (fetch-offline's ErrNeedNet).
class StageConfigFetcher final : public ConfigFetcher
{
public:
	// `offline`: fetch-offline. `totalTimeoutNs`: -fetch-timeout, the bound
	// of the provider's fetch until a config's own timeouts apply.
	StageConfigFetcher(bool offline, std::int64_t totalTimeoutNs, FetchEnvironment env);

	Result<std::string> fetch(const config::Resource &res) override;
	// Timeouts and proxy of `cfg` replace the current ones; if it lists
	// CAs, each is fetched (once per source) and verified, and the trusted
	// set becomes the system store plus those. A config without CAs keeps
	// the ones in force, as Ignition does.
	Result<void> updateSettings(const config::Config &cfg) override;
	// Ignition's RewriteCAsWithDataUrls: the CA sources of `cfg` become
	// data: URLs of the bundles fetched, so later stages need no network
	// for them.
	[[nodiscard]] Result<void> rewriteCasAsDataUrls(config::Config &cfg);

	bool neededNetwork() const { return fetcher_.neededNetwork(); }
	fetch::Fetcher &fetcher() { return fetcher_; }

private:
	Result<std::string> caBundle(const config::Resource &ca);
	void notifyConsole(const fetch::RetryEvent &ev);

	fetch::Fetcher fetcher_;
	FetchEnvironment env_;
	std::map<std::string, std::string> caBundles_; // by source
	std::int64_t lastConsoleNs_ = 0;
	unsigned suppressed_ = 0;
};

} // namespace flint::engine
