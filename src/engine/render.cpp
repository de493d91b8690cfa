// Rendering a config: following ignition.config.replace and .merge, recursively, as Ignition does.
#include "engine/render.h"

#include <algorithm>

#include "engine/log_categories.h"
#include "engine/stage_runner.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

std::string chainText(const std::vector<std::string> &chain, const std::string &next)
{
	std::string out;
	for (const std::string &c : chain)
		out += redactUrl(c) + " -> ";
	return out + redactUrl(next);
}

// A child config: fetched, parsed at its own version, reported.
Result<config::Config> fetchChild(const config::Resource &res, ConfigFetcher &fetcher, State &state)
{
	const std::string &url = *res.source;
	Result<std::string> raw = fetcher.fetch(res);
	if (!raw)
		return unexpected(Error("fetching config " + redactUrl(url) + ": " + raw.error().message(),
					raw.error().errnum()));
	config::ParseResult parsed = config::parse(*raw);
	logReport(parsed.report);
	if (!parsed.hint.empty())
		LOG(Engine, Warning) << parsed.hint;
	if (parsed.error || !parsed.config)
		return unexpected("config " + redactUrl(url) + ": " +
				  std::string(config::parseErrorText(parsed.error.value_or(config::ParseError::Invalid))));
	state.fetchedConfigs().push_back(FetchedConfig{ "user", redactUrl(url), true });
	return std::move(*parsed.config);
}

Result<config::Config> render(config::Config cfg, std::vector<std::string> &chain, ConfigFetcher &fetcher,
			      State &state)
{
	auto descend = [&](const config::Resource &res) -> Result<void> {
		const std::string &url = *res.source;
		if (std::find(chain.begin(), chain.end(), url) != chain.end())
			return unexpected("config reference cycle: " + chainText(chain, url));
		if (chain.size() >= kMaxRenderDepth + 1)
			return unexpected("config references nested deeper than " + std::to_string(kMaxRenderDepth) +
					  " levels: " + chainText(chain, url));
		return {};
	};

	const config::Resource &replace = cfg.ignition.config.replace;
	if (replace.source) {
		if (Result<void> r = descend(replace); !r)
			return unexpected(r.error());
		Result<config::Config> next = fetchChild(replace, fetcher, state);
		if (!next)
			return next;
		if (Result<void> r = fetcher.updateSettings(*next); !r)
			return unexpected(r.error());
		chain.push_back(*replace.source);
		Result<config::Config> rendered = render(std::move(*next), chain, fetcher, state);
		chain.pop_back();
		return rendered;
	}

	config::Config merged = cfg;
	for (const config::Resource &res : cfg.ignition.config.merge) {
		if (!res.source)
			continue; // validation rejects this for 3.1+; 3.0 had no such rule
		if (Result<void> r = descend(res); !r)
			return unexpected(r.error());
		Result<config::Config> child = fetchChild(res, fetcher, state);
		if (!child)
			return child;
		// The child's own children are fetched with the child's settings
		// merged over those so far; the child itself was fetched with
		// the parent's.
		if (Result<void> r = fetcher.updateSettings(config::merge(merged, *child)); !r)
			return unexpected(r.error());
		chain.push_back(*res.source);
		Result<config::Config> rendered = render(std::move(*child), chain, fetcher, state);
		chain.pop_back();
		if (!rendered)
			return rendered;
		merged = config::merge(merged, *rendered);
	}
	return merged;
}

} // namespace

Result<config::Config> renderConfig(config::Config cfg, const std::string &source, ConfigFetcher &fetcher, State &state)
{
	if (Result<void> r = fetcher.updateSettings(cfg); !r)
		return unexpected(r.error());
	std::vector<std::string> chain{ source };
	return render(std::move(cfg), chain, fetcher, state);
}

} // namespace flint::engine
