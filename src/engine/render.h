// Rendering a config: following ignition.config.replace and .merge, recursively, as Ignition does.
#pragma once

#include <string>
#include <vector>

#include "engine/state.h"
#include "flint/base/result.h"
#include "flint/config/config.h"
#include "flint/fetch/fetcher.h"

namespace flint::engine {

// Where the renderer gets a child config's bytes. The fetch layer implements
// it for the stages; tests may serve bytes from memory.
class ConfigFetcher
{
public:
	virtual ~ConfigFetcher() = default;
	// The bytes of `res` (decompressed and verified against
	// res.verification), fetched with the current settings.
	[[nodiscard]] virtual Result<std::string> fetch(const config::Resource &res) = 0;
	// From now on, fetch with the timeouts, CAs and proxy of `cfg`'s
	// ignition section.
	[[nodiscard]] virtual Result<void> updateSettings(const config::Config &cfg) = 0;
};

// Longest chain of nested child configs the renderer follows.
inline constexpr std::size_t kMaxRenderDepth = 10;

// Ignition's ConfigFetcher.RenderConfig: if ignition.config.replace has a
// source, the config is replaced by that one (rendered in turn); otherwise
// each ignition.config.merge child, in order, is fetched with the settings
// in force, rendered with its own settings merged over the parent's, and
// merged over the result so far. Every fetched child is recorded in `state`.
//
// Beyond Ignition, which recurses forever: a child that refers back to a
// config already in the chain, or a chain deeper than kMaxRenderDepth, is an
// error that shows the chain. `source` names `cfg` in that chain.
[[nodiscard]] Result<config::Config> renderConfig(config::Config cfg, const std::string &source,
						  ConfigFetcher &fetcher, State &state);

// A URL as it may appear in logs and errors (the fetch layer's).
using fetch::redactUrl;

} // namespace flint::engine
