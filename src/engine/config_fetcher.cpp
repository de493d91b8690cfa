// The fetcher the stages use: config resources for the renderer, CAs, timeouts and proxy from the config.
#include "engine/config_fetcher.h"

#include <cstdio>
#include <ctime>

#include "engine/log_categories.h"
#include "flint/base/go.h"
#include "flint/config/types.h"

namespace flint::engine {

namespace {

// At most one console notice per this many nanoseconds: enough for a person
// to see that Flint waits, and why, without flooding a serial console.
constexpr std::int64_t kConsoleIntervalNs = 5'000'000'000;

std::int64_t monotonicNs()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// RFC 2397 with base64, as vincent-petithory/dataurl's EncodeBytes writes
// it for a PEM (http.DetectContentType says text/plain; charset=utf-8).
std::string pemDataUrl(const std::string &blob)
{
	static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	std::string out = "data:text/plain;charset=utf-8;base64,";
	std::size_t i = 0;
	for (; i + 2 < blob.size(); i += 3) {
		unsigned v = (static_cast<unsigned char>(blob[i]) << 16) | (static_cast<unsigned char>(blob[i + 1]) << 8) |
			     static_cast<unsigned char>(blob[i + 2]);
		out += kAlphabet[(v >> 18) & 63];
		out += kAlphabet[(v >> 12) & 63];
		out += kAlphabet[(v >> 6) & 63];
		out += kAlphabet[v & 63];
	}
	if (i + 1 == blob.size()) {
		unsigned v = static_cast<unsigned char>(blob[i]) << 16;
		out += kAlphabet[(v >> 18) & 63];
		out += kAlphabet[(v >> 12) & 63];
		out += "==";
	} else if (i + 2 == blob.size()) {
		unsigned v = (static_cast<unsigned char>(blob[i]) << 16) | (static_cast<unsigned char>(blob[i + 1]) << 8);
		out += kAlphabet[(v >> 18) & 63];
		out += kAlphabet[(v >> 12) & 63];
		out += kAlphabet[(v >> 6) & 63];
		out += '=';
	}
	return out;
}

} // namespace

StageConfigFetcher::StageConfigFetcher(bool offline, std::int64_t totalTimeoutNs, FetchEnvironment env)
	: fetcher_(offline), env_(std::move(env))
{
	fetch::Settings s;
	s.total = std::chrono::milliseconds(totalTimeoutNs / 1'000'000);
	s.s3Endpoint = env_.s3Endpoint;
	s.gcsEndpoint = env_.gcsEndpoint;
	fetcher_.setSettings(std::move(s));
	if (!env_.consolePath.empty())
		fetcher_.setRetryObserver([this](const fetch::RetryEvent &ev) { notifyConsole(ev); });
}

void StageConfigFetcher::notifyConsole(const fetch::RetryEvent &ev)
{
	std::int64_t now = monotonicNs();
	if (lastConsoleNs_ != 0 && now - lastConsoleNs_ < kConsoleIntervalNs) {
		suppressed_++;
		return;
	}
	lastConsoleNs_ = now;
	FILE *f = std::fopen(env_.consolePath.c_str(), "ae");
	if (!f)
		return;
	std::string more = suppressed_ ? " (" + std::to_string(suppressed_) + " more failed attempts not shown)" : "";
	suppressed_ = 0;
	std::fprintf(f, "Ignition (Flint): waiting for %s: attempt #%u failed: %s; retrying in %.1fs%s\n",
		     ev.url.c_str(), ev.attempt, ev.reason.c_str(), static_cast<double>(ev.wait.count()) / 1000.0,
		     more.c_str());
	std::fclose(f);
}

Result<std::string> StageConfigFetcher::fetch(const config::Resource &res)
{
	return fetcher_.fetchToString(fetch::requestFor(res, nullptr));
}

Result<std::string> StageConfigFetcher::caBundle(const config::Resource &ca)
{
	const std::string source = ca.source.value_or("");
	if (auto it = caBundles_.find(source); it != caBundles_.end())
		return it->second;
	Result<std::string> blob = fetcher_.fetchToString(fetch::requestFor(ca, nullptr));
	if (!blob) {
		LOG(Engine, Error) << "Unable to fetch CA (" << fetch::redactUrl(source) << "): " << blob.error().message();
		return unexpected(Error("fetching CA " + fetch::redactUrl(source) + ": " + blob.error().message()));
	}
	caBundles_[source] = *blob;
	return blob;
}

Result<void> StageConfigFetcher::updateSettings(const config::Config &cfg)
{
	const config::Ignition &ign = cfg.ignition;
	fetch::Settings s = fetcher_.settings();
	s.responseHeaders = std::chrono::seconds(ign.timeouts.httpResponseHeaders.value_or(10));
	s.total = std::chrono::seconds(ign.timeouts.httpTotal.value_or(0));
	s.proxy.httpProxy = ign.proxy.httpProxy.value_or("");
	s.proxy.httpsProxy = ign.proxy.httpsProxy.value_or("");
	s.proxy.noProxy = ign.proxy.noProxy;
	// As Ignition: the timeouts and proxy apply first, then the CAs are
	// fetched with them (and with the CAs trusted so far).
	fetcher_.setSettings(s);
	const auto &cas = ign.security.tls.certificateAuthorities;
	if (cas.empty())
		return {};

	std::vector<std::string> pems;
	for (const config::Resource &ca : cas) {
		Result<std::string> blob = caBundle(ca);
		if (!blob)
			return unexpected(blob.error());
		Result<std::vector<std::string>> names = fetch::caCommonNames(*blob);
		if (!names) {
			LOG(Engine, Error) << "Unable to parse CA bundle: " << names.error().message();
			return unexpected(Error("CA " + fetch::redactUrl(ca.source.value_or("")) + ": " +
						names.error().message()));
		}
		for (const std::string &cn : *names)
			LOG(Engine, Info) << "Adding " << go::quote(cn) << " to list of CAs";
		pems.push_back(std::move(*blob));
	}
	s.extraCaPem = std::move(pems);
	fetcher_.setSettings(std::move(s));
	return {};
}

Result<void> StageConfigFetcher::rewriteCasAsDataUrls(config::Config &cfg)
{
	for (config::Resource &ca : cfg.ignition.security.tls.certificateAuthorities) {
		Result<std::string> blob = caBundle(ca);
		if (!blob)
			return unexpected(blob.error());
		ca.httpHeaders.clear();
		ca.compression.reset();
		ca.source = pemDataUrl(*blob);
	}
	return {};
}

} // namespace flint::engine
