// Fetching resources as Ignition does: http, https, tftp, data, s3, arn and gs
// URLs, with retries, TLS with extra CAs, proxies, gzip and hash verification,
// streamed into a Sink so that size does not cost memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"
#include "flint/fetch/proxy.h"

namespace flint::config {
struct Config;
struct Resource;
} // namespace flint::config

namespace flint::fetch {

// Where fetched (decompressed, verified-as-it-flows) bytes go.
class Sink
{
public:
	virtual ~Sink() = default;
	// Appends bytes.
	[[nodiscard]] virtual Result<void> write(std::string_view bytes) = 0;
	// Drops everything written so far: the transfer starts again (a retry
	// after the body broke off).
	[[nodiscard]] virtual Result<void> rewind() = 0;
	// Every byte is in and verified (size, gzip, hash): a sink keeping
	// them in a file may start writing them out.
	virtual void complete() {}
};

// Collects the bytes in memory; for configs and CA bundles.
class StringSink final : public Sink
{
public:
	Result<void> write(std::string_view bytes) override;
	Result<void> rewind() override;
	std::string &data() { return data_; }

private:
	std::string data_;
};

// Writes to a file descriptor from its offset at construction (not owned);
// rewind truncates back to that offset.
class FdSink final : public Sink
{
public:
	explicit FdSink(int fd);
	Result<void> write(std::string_view bytes) override;
	Result<void> rewind() override;

private:
	int fd_;
	std::int64_t start_;
};

// An HTTP header of a request; a later header of the same name (compared
// without case) replaces an earlier one, as Go's Header.Set.
struct Header {
	std::string name;
	std::string value;
};

// The fetch settings a config's ignition section controls.
struct Settings {
	// ignition.timeouts.httpResponseHeaders: how long one attempt waits for
	// the response headers (Ignition's default is 10 s).
	std::chrono::seconds responseHeaders{ 10 };
	// ignition.timeouts.httpTotal, or -fetch-timeout for the provider's
	// config: how long a fetch may take, retries included; 0 = no limit.
	std::chrono::milliseconds total{ 0 };
	// PEM certificates trusted in addition to the system store
	// (ignition.security.tls.certificateAuthorities, fetched and verified).
	std::vector<std::string> extraCaPem;
	// ignition.proxy.
	ProxyConfig proxy;
	// Test hooks set by the engine from FLINT_S3_ENDPOINT and
	// FLINT_GCS_ENDPOINT: where s3://, arn: and gs:// requests go instead
	// of AWS and Google (docs/fetching.md).
	std::string s3Endpoint;
	std::string gcsEndpoint;
};

// One resource to fetch.
struct Request {
	std::string url;
	// The resource's httpHeaders, applied over the default headers.
	std::vector<Header> headers;
	// "" or "gzip".
	std::string compression;
	// "" or "<function>-<hex>" (sha256, sha512): checked over the
	// decompressed bytes as they flow.
	std::string hash;
	// Where the bytes go; borrowed for the duration of the fetch.
	Sink *sink = nullptr;
};

// A failed attempt that will be retried, for a caller that tells a person
// watching the console what is happening.
struct RetryEvent {
	std::string url; // redacted
	unsigned attempt = 0;
	std::string reason;
	std::chrono::milliseconds wait{ 0 };
};

// The outcome of one fetch, with what it took.
struct Stats {
	unsigned attempts = 0;
	std::uint64_t bytes = 0; // after decompression
};

// The error texts callers (and tests) match on.
inline constexpr std::string_view kErrNotFound = "resource not found";
inline constexpr std::string_view kErrFailed = "failed to fetch resource";
inline constexpr std::string_view kErrTimeout = "unable to fetch resource in time";
inline constexpr std::string_view kErrNeedNet = "resource requires networking";
inline constexpr std::string_view kErrSchemeUnsupported = "unsupported source scheme";

// Fetches resources. Not thread-safe: one Fetcher per thread; fetchAll runs
// many transfers at once on one thread (curl multi).
class Fetcher final
{
public:
	// `offline`: fetch-offline's fetcher; anything but data: URLs and empty
	// sources fails with kErrNeedNet and sets neededNetwork().
	explicit Fetcher(bool offline = false);
	~Fetcher();
	Fetcher(const Fetcher &) = delete;
	Fetcher &operator=(const Fetcher &) = delete;

	void setSettings(Settings settings);
	const Settings &settings() const { return settings_; }

	// Called for every failed attempt that is followed by a retry.
	void setRetryObserver(std::function<void(const RetryEvent &)> observer);

	// Fetches one resource into req.sink.
	[[nodiscard]] Result<void> fetch(const Request &req, Stats *stats = nullptr);
	// Fetches into memory.
	[[nodiscard]] Result<std::string> fetchToString(Request req);
	// Fetches all, at most `parallel` at a time; results (and, when
	// `stats` is given, what each took) in request order. data: URLs are
	// decoded on a second thread while network transfers are waited on,
	// and `afterLocal` (when given) runs there after them; both must not
	// touch what the transfers' sinks touch.
	std::vector<Result<void>> fetchAll(const std::vector<Request> &reqs, std::size_t parallel = 8,
					   std::vector<Stats> *stats = nullptr,
					   const std::function<void()> &afterLocal = {});

	bool neededNetwork() const { return neededNetwork_; }

private:
	class Impl;

	bool offline_;
	bool neededNetwork_ = false;
	Settings settings_;
	std::function<void(const RetryEvent &)> observer_;
	std::unique_ptr<Impl> impl_;
};

// Whether fetching `url` needs the network (anything but data: and "").
bool urlNeedsNetwork(std::string_view url);

// The request for a config Resource (source, httpHeaders, compression,
// verification); `sink` is borrowed.
Request requestFor(const config::Resource &res, Sink *sink);

// The subject common names of the certificates in a PEM bundle, in order;
// an error if any block is not a certificate or there is none.
Result<std::vector<std::string>> caCommonNames(std::string_view pem);

// A URL as it may appear in logs and errors: userinfo and query replaced by
// "redacted", a data: URL's payload dropped.
std::string redactUrl(std::string_view url);

} // namespace flint::fetch
