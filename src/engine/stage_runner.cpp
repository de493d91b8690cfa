// Runs one Ignition stage: acquire the config (provider or cache), then the stage body.
#include "engine/stage_runner.h"

#include <cstdio>

#include "engine/fsutil.h"
#include "engine/log_categories.h"
#include "engine/stages.h"
#include "flint/base/go.h"
#include "flint/base/log.h"

namespace flint::engine {

namespace {

// MESSAGE_ID of Ignition's "fetched ... config" journal entries.
constexpr const char *kFetchedConfigMessageId = "57124006b5c94805b77ce473e92a8aeb";

bool isFetchStage(std::string_view stage)
{
	return stage.starts_with("fetch");
}

std::string_view platformName(Platform p)
{
	switch (p) {
	case Platform::File:
		return "file";
	case Platform::Metal:
		return "metal";
	case Platform::Qemu:
		return "qemu";
	}
	return "";
}

} // namespace

void logReport(const config::Report &report)
{
	for (const config::Entry &e : report.entries()) {
		switch (e.severity) {
		case config::Severity::Error:
			LOG(Engine, Critical) << e.toString();
			break;
		case config::Severity::Warning:
			LOG(Engine, Warning) << e.toString();
			break;
		case config::Severity::Info:
			LOG(Engine, Info) << e.toString();
			break;
		}
	}
}

StageRunner::StageRunner(const IgnitionOptions &options, ProviderInputs inputs, State &state)
	: options_(options), inputs_(std::move(inputs)), state_(state),
	  platform_(platformFromName(options.platform).value_or(Platform::Metal))
{
}

Result<void> StageRunner::run()
{
	// Base configs (/usr/lib/ignition/base.d) are not supported yet; they
	// would be merged here, in every stage.
	Result<config::Config> cfg = acquireConfig();
	if (!cfg) {
		LOG(Engine, Critical) << "failed to acquire config: " << cfg.error().message();
		return unexpected(cfg.error());
	}

	log::PrefixScope prefix(options_.stage);
	Result<void> r = runStageBody(options_.stage, *cfg, StageContext{ options_.root, options_.needNet });
	if (!r) {
		// Ignition also dumps the whole config here ("Full config:"),
		// secrets included; Flint does not.
		std::fprintf(stderr, "%s failed\n", options_.stage.c_str());
		std::fflush(stderr);
		return r;
	}
	LOG(Engine, Info) << options_.stage << " passed";
	return {};
}

Result<config::Config> StageRunner::acquireConfig()
{
	if (!isFetchStage(options_.stage))
		return acquireCachedConfig();

	Result<config::Config> cfg = acquireProviderConfig();
	if (cfg)
		logFetchedConfigs();
	return cfg;
}

void StageRunner::logFetchedConfigs()
{
	// As Ignition HEAD: only when the journal is there to receive them.
	if (!log::journalAvailable())
		return;
	for (const FetchedConfig &fc : state_.fetchedConfigs()) {
		std::string msg = "fetched " + std::string(fc.referenced ? "referenced " : "") + fc.kind +
				  " config from " + go::quote(fc.source);
		Result<void> r = log::Logger::instance().sendStructured(
			log::Level::Info, msg,
			{ { "IGNITION_CONFIG_TYPE", fc.kind },
			  { "IGNITION_CONFIG_SRC", fc.source },
			  { "IGNITION_CONFIG_REFERENCED", fc.referenced ? "true" : "false" },
			  { "MESSAGE_ID", kFetchedConfigMessageId } });
		if (!r)
			LOG(Engine, Info) << "failed to log systemd journal entry: " << r.error().message();
	}
}

Result<config::Config> StageRunner::acquireProviderConfig()
{
	Result<std::optional<config::Config>> fetched = fetchProviderConfig();
	if (!fetched) {
		LOG(Engine, Warning) << "failed to fetch config: " << fetched.error().message();
		return unexpected(fetched.error());
	}
	config::Config cfg;
	if (*fetched) {
		cfg = std::move(**fetched);
	} else {
		// An empty provider config is not an error: later stages get an
		// empty cached config.
		cfg = config::emptyConfig();
		LOG(Engine, Info) << config::parseErrorText(config::ParseError::Empty)
				  << ": provider config was empty, continuing with empty cache config";
	}

	config::Report report = config::validate(cfg);
	logReport(report);
	if (report.isFatal()) {
		LOG(Engine, Critical) << "merging configs resulted in an invalid config";
		return unexpected(std::string(config::parseErrorText(config::ParseError::Invalid)));
	}

	if (Result<void> r = writeFileAtomic(options_.configCache, config::toJson(cfg), 0640); !r) {
		LOG(Engine, Critical) << "failed to write cached config: " << r.error().message();
		return unexpected(r.error());
	}
	return cfg;
}

Result<std::optional<config::Config>> StageRunner::fetchProviderConfig()
{
	// Ignition first looks at ignition.config.url on the kernel command line
	// and /usr/lib/ignition/user.ign; both need the fetcher and arrive with it.
	Result<ProviderConfig> provided = fetchPlatformConfig(platform_, inputs_);
	if (!provided)
		return unexpected(provided.error());

	if (!provided->raw)
		return std::optional<config::Config>();

	config::ParseResult parsed = config::parse(*provided->raw);
	logReport(parsed.report);
	if (!parsed.hint.empty())
		LOG(Engine, Warning) << parsed.hint;
	if (parsed.error == config::ParseError::Empty)
		return std::optional<config::Config>();
	if (parsed.error)
		return unexpected(std::string(config::parseErrorText(*parsed.error)));
	if (!parsed.config)
		return unexpected(std::string(config::parseErrorText(config::ParseError::Invalid)));

	state_.fetchedConfigs().push_back(FetchedConfig{ "user", std::string(platformName(platform_)), false });

	const config::IgnitionConfig &children = parsed.config->ignition.config;
	if (!children.merge.empty() || children.replace.source)
		return unexpected(std::string(
			"the config references child configs (ignition.config.merge/replace); rendering "
			"child configs is not implemented yet in this build of Flint (it arrives with fetch support)"));
	return std::optional<config::Config>(std::move(*parsed.config));
}

Result<config::Config> StageRunner::acquireCachedConfig()
{
	Result<std::string> raw = readFile(options_.configCache);
	if (!raw)
		return unexpected(raw.error());

	config::ParseResult parsed = config::parse(*raw);
	if (parsed.error || !parsed.config) {
		if (parsed.report.isFatal())
			logReport(parsed.report);
		std::string why(config::parseErrorText(parsed.error.value_or(config::ParseError::Invalid)));
		LOG(Engine, Critical) << "failed to parse cached config: " << why;
		return unexpected(why);
	}
	return std::move(*parsed.config);
}

} // namespace flint::engine
