// Runs one Ignition stage: acquire the config (provider or cache), then the stage body.
#include "engine/stage_runner.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "engine/cmdline.h"
#include "engine/config_device.h"
#include "engine/config_fetcher.h"
#include "engine/failure_summary.h"
#include "engine/fsutil.h"
#include "engine/placeholders.h"
#include "engine/render.h"
#include "engine/system_config.h"
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
	Result<void> r = runStage();
	if (!r)
		reportFailure(r.error());
	return r;
}

void StageRunner::reportFailure(const Error &error)
{
	std::optional<std::string> path = failureSummaryPath();
	if (!path)
		return;
	Failure f;
	f.stage = options_.stage;
	// The innermost failed operation the log knows ("writing file ..."),
	// else the step the runner was in.
	f.operation = log::Logger::instance().firstFailedOperation().value_or(operation_);
	f.error = error.message();
	f.configUrl = configUrl_;
	f.configPath = configPath_;
	if (configUrl_.empty() && configPath_.empty()) {
		// A later stage: where the cached config first came from.
		if (Result<std::string> text = readFile(inputs_.kernelCmdlinePath); text)
			f.configUrl = parseCmdline(*text).url;
	}
	if (!isFetchStage(options_.stage) && pathExists(options_.configCache))
		f.configCache = options_.configCache;
	const std::string text = formatFailureSummary(f);
	// Also on stderr: the unit's journal, and its console where systemd
	// shows one.
	std::fwrite(text.data(), 1, text.size(), stderr);
	std::fflush(stderr);
	if (Result<void> w = writeFailureSummary(*path, text); !w)
		LOG(Engine, Error) << "writing the failure summary: " << w.error().message();
}

Result<void> StageRunner::runStage()
{
	operation_ = "checking FLINT_DEVICE_TIMEOUT";
	if (!inputs_.deviceTimeoutError.empty()) {
		LOG(Engine, Critical) << inputs_.deviceTimeoutError;
		return unexpected(inputs_.deviceTimeoutError);
	}

	// Base configs are read again in every stage and merged under the
	// user config; they never reach the cache.
	operation_ = "reading the base configs (base.d, base.platform.d)";
	Result<config::Config> base = acquireBaseConfig();
	if (!base) {
		LOG(Engine, Critical) << "failed to acquire system base config: " << base.error().message();
		return unexpected(base.error());
	}
	state_.fetchedConfigs().push_back(FetchedConfig{ "base", "system", false });

	fetcher_ = std::make_unique<StageConfigFetcher>(options_.stage == "fetch-offline", options_.fetchTimeoutNs,
							inputs_.fetch);

	operation_ = isFetchStage(options_.stage) ? "fetching the config"
						 : "reading the cached config " + options_.configCache;
	Result<config::Config> cfg = acquireConfig();
	if (!cfg && fetcher_->neededNetwork() && options_.stage == "fetch-offline") {
		// Ignition's ErrNeedNet: the fetch stage will do it with the
		// network; fetch-offline passes without writing the cache.
		if (Result<void> r = signalNeedNet(options_.needNet); !r) {
			LOG(Engine, Critical) << "failed to signal neednet: " << r.error().message();
			return r;
		}
		return {};
	}
	if (!cfg) {
		LOG(Engine, Critical) << "failed to acquire config: " << cfg.error().message();
		return unexpected(cfg.error());
	}

	log::PrefixScope prefix(options_.stage);
	config::Config full = config::merge(config::emptyConfig(), config::merge(*base, std::move(*cfg)));
	StageContext ctx{ options_.root, options_.needNet };
	ctx.fetcher = &fetcher_->fetcher();
	for (const FetchedConfig &fc : state_.fetchedConfigs())
		ctx.userConfigProvided = ctx.userConfigProvided || fc.kind == "user";
	ctx.authorizedKeysFragment = inputs_.authorizedKeysFragment;
	ctx.kernelCmdlinePath = inputs_.kernelCmdlinePath;
	ctx.deviceTimeout = inputs_.deviceTimeout;
	// The stages work on plain containers; what they leave is written
	// back in Go's terms (nil vs empty) below.
	std::map<std::string, std::string> luksKeys = state_.luksPersistKeyFiles().value_or(
		std::map<std::string, std::string>());
	std::vector<std::string> notated = state_.notatedDirectories().value_or(std::vector<std::string>());
	const bool hadLuksKeys = !luksKeys.empty();
	const std::size_t notatedBefore = notated.size();
	ctx.luksPersistKeyFiles = &luksKeys;
	ctx.notatedDirectories = &notated;
	operation_ = "running the " + options_.stage + " stage";
	Result<void> r = runStageBody(options_.stage, full, ctx);
	if (!luksKeys.empty())
		state_.luksPersistKeyFiles() = std::move(luksKeys);
	else if (hadLuksKeys)
		// The files stage wrote them out and dropped them, as Ignition
		// sets the map to nil so the keys do not linger in /run.
		state_.luksPersistKeyFiles().reset();
	if (notated.size() != notatedBefore)
		state_.notatedDirectories() = std::move(notated);
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

Result<config::Config> StageRunner::acquireBaseConfig()
{
	Result<std::vector<SystemConfigFile>> files = readBaseConfigs(inputs_.systemConfigDirs, platformName(platform_));
	if (!files)
		return unexpected(files.error());
	config::Config base = config::emptyConfig();
	for (const SystemConfigFile &f : *files) {
		config::ParseResult parsed = config::parse(f.raw);
		logReport(parsed.report);
		if (parsed.error == config::ParseError::Empty)
			continue;
		if (parsed.error || !parsed.config)
			return unexpected("base config " + go::quote(f.path) + ": " +
					  std::string(config::parseErrorText(parsed.error.value_or(config::ParseError::Invalid))));
		base = config::merge(base, *parsed.config);
	}
	return base;
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

	// The config's timeouts, proxy and CAs for what later fetches; the CAs
	// are cached as data: URLs so that later stages need no network for
	// them (Ignition's RewriteCAsWithDataUrls).
	if (Result<void> r = fetcher_->updateSettings(cfg); !r) {
		LOG(Engine, Critical) << "failed to update timeouts and CAs for fetcher: " << r.error().message();
		return unexpected(r.error());
	}
	if (Result<void> r = fetcher_->rewriteCasAsDataUrls(cfg); !r) {
		LOG(Engine, Critical) << "error handling CAs: " << r.error().message();
		return unexpected(r.error());
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

Result<std::optional<std::string>> StageRunner::fetchCmdlineConfig()
{
	Result<std::string> text = readFile(inputs_.kernelCmdlinePath);
	if (!text) {
		LOG(Engine, Error) << "couldn't read cmdline: " << text.error().message();
		return unexpected(text.error());
	}
	CmdlineConfig c = parseCmdline(*text);
	LOG(Engine, Debug) << "parsed url from cmdline: " << go::quote(redactUrl(c.url));
	if (!c.url.empty()) {
		configUrl_ = c.url;
		if (!c.device.empty() || !c.path.empty())
			LOG(Engine, Warning) << "\"ignition.config.url\" takes precedence; ignoring "
						"\"ignition.config.device\" and \"ignition.config.path\"";
		// Beyond Ignition: ${mac}, ${uuid}, ... filled from this machine,
		// so one PXE menu entry can serve per-machine configs.
		MachineSources machine;
		machine.cmdline = *text;
		Result<std::string> url = expandPlaceholders(
			c.url, [&](std::string_view name) { return machineFact(name, machine); });
		if (!url)
			return unexpected(url.error());
		if (*url != c.url) {
			LOG(Engine, Info) << "filled the placeholders of ignition.config.url: " << go::quote(redactUrl(*url));
			c.url = std::move(*url);
		}
		configUrl_ = c.url; // expanded
		config::Resource res;
		res.source = c.url;
		Result<std::string> raw = fetcher_->fetch(res);
		if (!raw)
			return unexpected(Error(redactUrl(c.url) + ": " + raw.error().message(), raw.error().errnum()));
		return std::optional<std::string>(std::move(*raw));
	}
	if (!c.device.empty() && !c.path.empty()) {
		configPath_ = c.path + " on the filesystem labelled " + c.device + " (ignition.config.device)";
		Result<std::string> raw =
			readConfigFromDevice(c.device, c.path, inputs_.diskByLabelDir, std::chrono::seconds(30));
		if (!raw)
			return unexpected(raw.error());
		return std::optional<std::string>(std::move(*raw));
	}
	if (!c.device.empty() || !c.path.empty())
		return unexpected(std::string("both \"ignition.config.device\" and \"ignition.config.path\" must be "
					      "provided together"));
	LOG(Engine, Info) << "no config URL provided";
	return std::optional<std::string>();
}

Result<std::optional<config::Config>> StageRunner::fetchProviderConfig()
{
	// As Ignition: the kernel command line, then user.ign in the system
	// config directories, then the platform; the first that has a config
	// wins (an error ends the search too).
	std::optional<std::string> raw;
	std::string provider;
	Result<std::optional<std::string>> cmdline = fetchCmdlineConfig();
	if (!cmdline)
		return unexpected(cmdline.error());
	if (*cmdline) {
		raw = std::move(**cmdline);
		provider = "cmdline";
	} else {
		Result<std::optional<SystemConfigFile>> user = readUserConfig(inputs_.systemConfigDirs);
		if (!user)
			return unexpected(user.error());
		if (*user) {
			configPath_ = (*user)->path;
			raw = std::move((*user)->raw);
			provider = "system";
		} else {
			configPath_ = "the " + std::string(platformName(platform_)) + " platform's config";
			Result<ProviderConfig> provided = fetchPlatformConfig(platform_, inputs_);
			if (!provided)
				return unexpected(provided.error());
			if (!provided->raw)
				return std::optional<config::Config>();
			raw = std::move(provided->raw);
			provider = platformName(platform_);
		}
	}

	config::ParseResult parsed = config::parse(*raw);
	logReport(parsed.report);
	if (!parsed.hint.empty())
		LOG(Engine, Warning) << parsed.hint;
	if (parsed.error == config::ParseError::Empty)
		return std::optional<config::Config>();
	if (parsed.error)
		return unexpected(std::string(config::parseErrorText(*parsed.error)));
	if (!parsed.config)
		return unexpected(std::string(config::parseErrorText(config::ParseError::Invalid)));

	state_.fetchedConfigs().push_back(FetchedConfig{ "user", provider, false });

	Result<config::Config> rendered = renderConfig(std::move(*parsed.config), provider, *fetcher_, state_);
	if (!rendered)
		return unexpected(rendered.error());
	return std::optional<config::Config>(std::move(*rendered));
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
	// The cached config's timeouts, proxy and CAs (data: URLs by now).
	if (Result<void> r = fetcher_->updateSettings(*parsed.config); !r) {
		LOG(Engine, Critical) << "failed to update timeouts and CAs for fetcher: " << r.error().message();
		return unexpected(r.error());
	}
	return std::move(*parsed.config);
}

} // namespace flint::engine
