// `flint fetch`: fetch one URL exactly as the stages would, for debugging and benchmarks.
#include "engine/fetch_command.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/config_fetcher.h"
#include "engine/flags.h"
#include "engine/fsutil.h"
#include "flint/base/go.h"
#include "flint/base/log.h"
#include "flint/config/config.h"

namespace flint::engine {

namespace {

constexpr const char *kUsage =
	"Usage:\n"
	"  flint fetch [flags] URL\n"
	"\n"
	"Fetches URL as Flint's stages fetch contents (retries, TLS, proxy, gzip,\n"
	"verification) and writes the contents to -o FILE or stdout; the log goes to stderr.\n"
	"Exit status: 0 fetched, 1 failed, 2 usage error.\n"
	"\n";

// Standard output as a sink: it cannot be rewound, so a retry after part
// of the contents went out is an error (use -o FILE).
class StdoutSink final : public fetch::Sink
{
public:
	Result<void> write(std::string_view bytes) override
	{
		written_ = written_ || !bytes.empty();
		return fd_.write(bytes);
	}
	Result<void> rewind() override
	{
		if (written_)
			return unexpected(std::string("the transfer broke off after contents went to stdout and "
						      "cannot restart there; use -o FILE"));
		return {};
	}

private:
	fetch::FdSink fd_{ STDOUT_FILENO };
	bool written_ = false;
};

} // namespace

int runFetch(const std::vector<std::string> &args, const FetchEnvironment &env)
{
	std::string configPath, compression, verification, output;
	bool offline = false;
	std::vector<fetch::Header> headers;
	FlagSet set;
	set.addString("config", &configPath,
		      "an Ignition config whose ignition.timeouts, ignition.proxy and ignition.security apply");
	set.addString("compression", &compression, "the contents' compression: gzip");
	set.addString("verification", &verification, "the expected hash of the contents: sha512-HEX or sha256-HEX");
	set.addValue("header", [&](std::string_view v) -> Result<void> {
		std::size_t colon = v.find(':');
		if (colon == std::string_view::npos || colon == 0)
			return unexpected(std::string("want \"Name: value\""));
		headers.push_back(fetch::Header{ std::string(v.substr(0, colon)),
						 std::string(go::trimSpace(v.substr(colon + 1))) });
		return {};
	}, "an HTTP header \"Name: value\" (repeatable), as a resource's httpHeaders");
	set.addBool("offline", &offline, "fetch as fetch-offline does: anything that needs the network fails");
	set.addString("o", &output, "write the contents to this file (replaced only when the fetch succeeds)");
	auto usage = [&]() {
		std::string u = kUsage + set.defaults();
		std::fwrite(u.data(), 1, u.size(), stderr);
	};
	switch (set.parse(args)) {
	case FlagSet::Status::Help:
		usage();
		return 0;
	case FlagSet::Status::Error:
		std::fprintf(stderr, "%s\n", set.error().c_str());
		usage();
		return 2;
	case FlagSet::Status::Ok:
		break;
	}
	if (set.args().size() != 1) {
		usage();
		return 2;
	}
	const std::string url = set.args()[0];
	log::Logger::instance().setSink(log::Sink::Stderr);

	auto fail = [&](const std::string &what) {
		std::fprintf(stderr, "flint fetch: %s: %s\n", fetch::redactUrl(url).c_str(), what.c_str());
		return 1;
	};

	StageConfigFetcher fetcher(offline, 0, env);
	if (!configPath.empty()) {
		Result<std::string> raw = readFile(configPath);
		if (!raw)
			return fail("reading -config: " + raw.error().message());
		config::ParseResult parsed = config::parse(*raw);
		if (parsed.error || !parsed.config) {
			if (!parsed.report.empty())
				std::fprintf(stderr, "%s\n", parsed.report.toString().c_str());
			return fail("-config " + go::quote(configPath) + ": " +
				    std::string(config::parseErrorText(parsed.error.value_or(config::ParseError::Invalid))));
		}
		if (Result<void> r = fetcher.updateSettings(*parsed.config); !r)
			return fail(r.error().message());
	}

	fetch::Request req;
	req.url = url;
	req.headers = headers;
	req.compression = compression;
	req.hash = verification;

	if (output.empty()) {
		StdoutSink sink;
		req.sink = &sink;
		if (Result<void> r = fetcher.fetcher().fetch(req); !r)
			return fail(r.error().message());
		return 0;
	}

	// Into a temporary file beside the output, renamed over it on success.
	std::string tmp = output + ".flint-fetch." + std::to_string(getpid());
	int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(errnoError("creating " + tmp).message());
	fetch::FdSink sink(fd);
	req.sink = &sink;
	Result<void> r = fetcher.fetcher().fetch(req);
	if (r && fsync(fd) != 0)
		r = unexpected(errnoError("fsync " + tmp));
	if (close(fd) != 0 && r)
		r = unexpected(errnoError("close " + tmp));
	if (r && rename(tmp.c_str(), output.c_str()) != 0)
		r = unexpected(errnoError("rename " + tmp + " to " + output));
	if (!r) {
		unlink(tmp.c_str());
		return fail(r.error().message());
	}
	return 0;
}

} // namespace flint::engine
