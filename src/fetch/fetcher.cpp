// The Fetcher: data: in process; http, https and tftp (and s3/gs mapped to
// https) through libcurl's multi interface, with Ignition's retry loop.
#include "flint/fetch/fetcher.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "content.h"
#include "flint_build_config.h"
#include "flint/base/dataurl.h"
#include "flint/base/go.h"
#include "flint/base/log.h"
#include "flint/base/url.h"
#include "flint/config/types.h"
#include "flint/fetch/object_url.h"
#include "tls.h"

FLINT_LOG_DECLARE_CATEGORY(Fetch)
FLINT_LOG_DEFINE_CATEGORY(Fetch, "fetch")

namespace flint::fetch {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kInitialBackoff{ 200 };
constexpr milliseconds kMaxBackoff{ 5000 };
constexpr unsigned kMaxRedirects = 10;
// Go's dialer timeout; curl's connect phase includes the TLS handshake
// (Go: 10 s more).
constexpr long kConnectTimeoutMs = 40'000;
// A body that stops flowing for this long (or httpResponseHeaders, if
// longer) is a transport error and retried; Go has no such bound and
// waits forever on a stalled body unless httpTotal is set.
constexpr long kStallSeconds = 30;

std::string lower(std::string_view s)
{
	std::string out(s);
	for (char &c : out)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return out;
}

// net/http's StatusText for the codes a server is likely to send.
std::string statusText(long code)
{
	switch (code) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 410: return "Gone";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

std::string statusLine(long code)
{
	std::string text = statusText(code);
	return "HTTP " + std::to_string(code) + (text.empty() ? "" : " " + text);
}

void curlGlobalInit()
{
	static std::once_flag once;
	std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int sslExDataIndex()
{
	static int idx = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
	return idx;
}

} // namespace

// --- the transfer engine -------------------------------------------------------

namespace {

enum class Phase { Pending, Running, Waiting, Done };

// One resource on its way: its attempts, redirects and the state libcurl's
// callbacks write into.
struct Transfer {
	const Request *req = nullptr;
	Stats *stats = nullptr;
	std::string url; // what is requested now (mapped, then redirected)
	bool tftp = false;
	bool dropHeaders = false;
	unsigned redirects = 0;
	unsigned attempt = 0;
	milliseconds backoff{ 0 };
	std::unique_ptr<ContentPipeline> pipeline;
	std::optional<Result<void>> result;
	Phase phase = Phase::Pending;

	bool hasDeadline = false;
	Clock::time_point deadline;
	Clock::time_point attemptStart;
	Clock::time_point nextAttempt;
	std::string lastReason;
	bool loggedProxy = false;

	CURL *easy = nullptr;
	curl_slist *headers = nullptr;
	long status = 0;
	bool headersDone = false;
	bool dirty = false; // bytes reached the pipeline in this attempt
	std::optional<Error> writeError;
	TlsFailure tls;
	const std::vector<X509Ptr> *cas = nullptr;
	char errbuf[CURL_ERROR_SIZE] = {};

	void releaseEasy()
	{
		if (easy)
			curl_easy_cleanup(easy);
		easy = nullptr;
		if (headers)
			curl_slist_free_all(headers);
		headers = nullptr;
	}
	~Transfer() { releaseEasy(); }
};

size_t headerCallback(char *buf, size_t size, size_t n, void *ud) noexcept
{
	auto *t = static_cast<Transfer *>(ud);
	std::string_view line(buf, size * n);
	if (line.starts_with("HTTP/")) {
		std::size_t sp = line.find(' ');
		t->status = sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
		t->headersDone = false;
	} else if (line == "\r\n" || line == "\n") {
		// The end of a final (non-1xx) response's headers.
		if (t->status >= 200)
			t->headersDone = true;
	}
	return size * n;
}

size_t writeCallback(char *buf, size_t size, size_t n, void *ud) noexcept
{
	auto *t = static_cast<Transfer *>(ud);
	std::size_t len = size * n;
	// Only a successful response's body is content; others are drained.
	if (!t->tftp && t->status != 200 && t->status != 204)
		return len;
	t->dirty = true;
	try {
		Result<void> r = t->pipeline->feed(std::string_view(buf, len));
		if (!r) {
			t->writeError = r.error();
			return 0;
		}
	} catch (const std::exception &e) {
		t->writeError = Error(std::string("writing the fetched contents: ") + e.what());
		return 0;
	}
	return len;
}

int verifyCallback(int ok, X509_STORE_CTX *ctx) noexcept
{
	if (ok)
		return ok;
	auto *ssl = static_cast<SSL *>(X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
	if (!ssl)
		return ok;
	auto *t = static_cast<Transfer *>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), sslExDataIndex()));
	if (t) {
		try {
			recordTlsFailure(t->tls, ctx);
		} catch (...) {
		}
	}
	return ok;
}

CURLcode sslContextCallback(CURL *, void *sslctx, void *ud) noexcept
{
	auto *t = static_cast<Transfer *>(ud);
	auto *ctx = static_cast<SSL_CTX *>(sslctx);
	// libcurl makes an SSL_CTX per connection, so this pointer is this
	// transfer's for every handshake that uses it.
	SSL_CTX_set_ex_data(ctx, sslExDataIndex(), t);
	SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), verifyCallback);
	if (t->cas) {
		X509_STORE *store = SSL_CTX_get_cert_store(ctx);
		for (const X509Ptr &c : *t->cas)
			X509_STORE_add_cert(store, c.get()); // a duplicate is harmless
		ERR_clear_error();
	}
	return CURLE_OK;
}

// The host of a URL, for messages.
std::string hostOf(const std::string &url)
{
	auto u = parseGoUrl(url);
	if (!u)
		return "";
	std::string h = u->host;
	if (std::size_t colon = h.rfind(':'); colon != std::string::npos && h.find(']') == std::string::npos &&
					      h.find(':') == colon)
		h.resize(colon);
	return h;
}

// What went wrong with an attempt that ended in a libcurl error.
std::string transportReason(Transfer &t, CURLcode rc)
{
	long osErrno = 0;
	curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &osErrno);
	std::string detail = t.errbuf[0] ? t.errbuf : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		if (osErrno == ECONNREFUSED)
			return "connection refused (" + detail + ")";
		if (osErrno == ENETUNREACH)
			return "network is unreachable; is the network up? (" + detail + ")";
		if (osErrno == EHOSTUNREACH)
			return "no route to host; is the network up? (" + detail + ")";
		return "cannot connect (" + detail + ")";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "cannot resolve host " + go::quote(hostOf(t.url)) +
		       "; is the network up, with a name server? (" + detail + ")";
	case CURLE_COULDNT_RESOLVE_PROXY:
		return "cannot resolve the proxy's host (" + detail + ")";
	case CURLE_OPERATION_TIMEDOUT:
		return "timed out (" + detail + ")";
	default:
		return detail;
	}
}

bool tlsVerificationError(CURLcode rc)
{
	return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
	       rc == CURLE_SSL_ISSUER_ERROR;
}

// The tftp URL libcurl needs so that the file name it sends is Ignition's
// (u.Path, with its leading slash): curl drops the first "/" of the path.
Result<std::string> tftpCurlUrl(const std::string &url)
{
	std::size_t authority = url.find("//");
	if (authority == std::string::npos)
		return unexpected(std::string("tftp URL without a host"));
	std::size_t path = url.find('/', authority + 2);
	if (path == std::string::npos)
		return unexpected(std::string("tftp URL without a file path"));
	return url.substr(0, path) + "/" + url.substr(path);
}

} // namespace

// The libcurl side: one multi handle (its connection cache lets transfers
// to the same server share connections) and the parsed extra CAs.
class Fetcher::Impl
{
public:
	explicit Impl(Fetcher &owner) : owner_(owner)
	{
		curlGlobalInit();
		multi_ = curl_multi_init();
	}
	~Impl()
	{
		if (multi_)
			curl_multi_cleanup(multi_);
	}

	Result<void> setCas(const std::vector<std::string> &pems)
	{
		std::vector<X509Ptr> cas;
		for (const std::string &pem : pems) {
			Result<std::vector<X509Ptr>> certs = parsePemCertificates(pem);
			if (!certs)
				return unexpected(certs.error());
			cas.insert(cas.end(), certs->begin(), certs->end());
		}
		cas_ = std::move(cas);
		// Connections made under the old trust must not be reused.
		if (multi_)
			curl_multi_cleanup(multi_);
		multi_ = curl_multi_init();
		return {};
	}

	void run(std::vector<std::unique_ptr<Transfer>> &transfers, std::size_t parallel);

private:
	void start(Transfer &t, bool newAttempt);
	void finish(Transfer &t, Result<void> r);
	void retry(Transfer &t, std::string reason);
	void completed(Transfer &t, CURLcode rc);
	void abortRunning(Transfer &t);
	Error timeoutError(const Transfer &t) const;

	Fetcher &owner_;
	CURLM *multi_ = nullptr;
	std::vector<X509Ptr> cas_;
};

void Fetcher::Impl::finish(Transfer &t, Result<void> r)
{
	if (t.stats) {
		t.stats->attempts = t.attempt;
		t.stats->bytes = t.pipeline ? t.pipeline->bytesOut() : 0;
	}
	t.result = std::move(r);
	t.phase = Phase::Done;
	t.releaseEasy();
}

Error Fetcher::Impl::timeoutError(const Transfer &t) const
{
	std::string msg(kErrTimeout);
	auto total = std::chrono::duration_cast<milliseconds>(owner_.settings_.total);
	msg += " (";
	msg += total.count() % 1000 == 0 ? std::to_string(total.count() / 1000) + "s"
					  : std::to_string(total.count()) + "ms";
	msg += " allowed, " + std::to_string(t.attempt) + (t.attempt == 1 ? " attempt" : " attempts");
	if (!t.lastReason.empty())
		msg += "; last: " + t.lastReason;
	msg += ")";
	return Error(msg);
}

void Fetcher::Impl::retry(Transfer &t, std::string reason)
{
	t.lastReason = reason;
	t.releaseEasy();
	t.backoff = t.backoff.count() == 0 ? kInitialBackoff : std::min(t.backoff * 2, kMaxBackoff);
	Clock::time_point now = Clock::now();
	if (t.hasDeadline && now + t.backoff >= t.deadline) {
		finish(t, unexpected(timeoutError(t)));
		return;
	}
	{
		char wait[32];
		std::snprintf(wait, sizeof(wait), "%.1fs", static_cast<double>(t.backoff.count()) / 1000.0);
		LOG(Fetch, Info) << "GET " << redactUrl(t.url) << ": attempt #" << t.attempt << ": " << reason
				 << "; retrying in " << wait;
	}
	if (t.dirty) {
		t.dirty = false;
		if (Result<void> r = t.pipeline->rewind(); !r) {
			finish(t, r);
			return;
		}
	}
	if (owner_.observer_) {
		RetryEvent ev;
		ev.url = redactUrl(t.url);
		ev.attempt = t.attempt;
		ev.reason = std::move(reason);
		ev.wait = t.backoff;
		owner_.observer_(ev);
	}
	t.nextAttempt = now + t.backoff;
	t.phase = Phase::Waiting;
}

void Fetcher::Impl::start(Transfer &t, bool newAttempt)
{
	const Settings &s = owner_.settings_;
	if (newAttempt) {
		t.attempt++;
		LOG(Fetch, Info) << "GET " << redactUrl(t.url) << ": attempt #" << t.attempt;
	}
	t.releaseEasy();
	t.status = 0;
	t.headersDone = false;
	t.writeError.reset();
	t.tls = TlsFailure();
	t.errbuf[0] = 0;
	t.cas = &cas_;

	std::string curlUrl = t.url;
	if (t.tftp) {
		Result<std::string> u = tftpCurlUrl(t.url);
		if (!u) {
			finish(t, unexpected(u.error()));
			return;
		}
		curlUrl = std::move(*u);
	}

	CURL *e = curl_easy_init();
	if (!e) {
		finish(t, unexpected(std::string("cannot create a transfer (out of memory)")));
		return;
	}
	t.easy = e;
	curl_easy_setopt(e, CURLOPT_URL, curlUrl.c_str());
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,tftp");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, headerCallback);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, writeCallback);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
			 std::max<long>(kStallSeconds, static_cast<long>(s.responseHeaders.count())));
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	// Ignition asks for identity encoding and gets the bytes as stored.
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, nullptr);

	// The proxy, from the config only: the environment is not consulted.
	std::string proxy = proxyForUrl(s.proxy, t.url);
	curl_easy_setopt(e, CURLOPT_PROXY, proxy.c_str());
	curl_easy_setopt(e, CURLOPT_NOPROXY, "");
	if (!proxy.empty() && !t.loggedProxy) {
		t.loggedProxy = true;
		LOG(Fetch, Info) << "using proxy " << redactUrl(proxy) << " for " << redactUrl(t.url);
	}

	// TLS: the system store (if the image has one) plus the config's CAs.
	const std::string &bundle = systemCaFile();
	curl_easy_setopt(e, CURLOPT_CAINFO, bundle.empty() ? nullptr : bundle.c_str());
	curl_easy_setopt(e, CURLOPT_CAPATH, nullptr);
	curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, sslContextCallback);
	curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, &t);

	if (!t.tftp && !t.dropHeaders) {
		// Defaults first; a request header of the same name replaces
		// one (Go's Header.Set), compared without case.
		std::vector<Header> hs = {
			{ "User-Agent", std::string("Ignition/flint-") + FLINT_VERSION },
			{ "Accept-Encoding", "identity" },
			{ "Accept", "application/vnd.coreos.ignition+json;version=3.6.0, */*;q=0.1" },
		};
		for (const Header &h : t.req->headers) {
			auto same = [&](const Header &o) { return lower(o.name) == lower(h.name); };
			hs.erase(std::remove_if(hs.begin(), hs.end(), same), hs.end());
			hs.push_back(h);
		}
		for (const Header &h : hs) {
			// "Name;" is how libcurl sends a header with an empty value.
			std::string line = h.value.empty() ? h.name + ";" : h.name + ": " + h.value;
			t.headers = curl_slist_append(t.headers, line.c_str());
		}
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
	} else if (!t.tftp) {
		// After a redirect Ignition sends none of its headers.
		t.headers = curl_slist_append(t.headers, "Accept:");
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
	}

	t.attemptStart = Clock::now();
	t.phase = Phase::Running;
	if (curl_multi_add_handle(multi_, e) != CURLM_OK)
		finish(t, unexpected(std::string("cannot start a transfer")));
}

void Fetcher::Impl::abortRunning(Transfer &t)
{
	if (t.easy)
		curl_multi_remove_handle(multi_, t.easy);
}

void Fetcher::Impl::completed(Transfer &t, CURLcode rc)
{
	curl_multi_remove_handle(multi_, t.easy);
	if (t.writeError) {
		finish(t, unexpected(*t.writeError));
		return;
	}
	if (rc != CURLE_OK) {
		if (tlsVerificationError(rc)) {
			// Final, unlike Ignition's endless retry: a certificate
			// that does not verify will not start to.
			std::string text = tlsFailureText(t.tls, hostOf(t.url), t.errbuf);
			LOG(Fetch, Info) << "GET error: " << text;
			finish(t, unexpected(text));
			return;
		}
		if (t.tftp && (rc == CURLE_TFTP_NOTFOUND || rc == CURLE_REMOTE_FILE_NOT_FOUND)) {
			finish(t, unexpected(std::string(kErrNotFound)));
			return;
		}
		if (t.tftp && (rc == CURLE_TFTP_PERM || rc == CURLE_TFTP_ILLEGAL || rc == CURLE_TFTP_NOSUCHUSER ||
			       rc == CURLE_REMOTE_ACCESS_DENIED)) {
			finish(t, unexpected(std::string(kErrFailed) + ": " + (t.errbuf[0] ? t.errbuf : "tftp error")));
			return;
		}
		std::string reason = transportReason(t, rc);
		LOG(Fetch, Info) << "GET error: " << reason;
		retry(t, reason);
		return;
	}
	if (t.tftp) {
		finish(t, t.pipeline->finish());
		return;
	}

	long code = t.status;
	curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &code);
	LOG(Fetch, Info) << "GET result: " << (statusText(code).empty() ? std::to_string(code) : statusText(code));
	if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
		char *location = nullptr;
		curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location);
		if (location && *location) {
			if (++t.redirects > kMaxRedirects) {
				finish(t, unexpected(std::string(kErrFailed) + ": stopped after 10 redirects"));
				return;
			}
			t.url = location;
			t.dropHeaders = true;
			t.tftp = false;
			LOG(Fetch, Debug) << "following the redirect to " << redactUrl(t.url);
			start(t, false);
			return;
		}
	}
	if (code == 200 || code == 204) {
		finish(t, t.pipeline->finish());
		return;
	}
	if (code == 404) {
		finish(t, unexpected(std::string(kErrNotFound) + " (" + statusLine(code) + ")"));
		return;
	}
	if (code < 500) {
		finish(t, unexpected(std::string(kErrFailed) + ": the server answered " + statusLine(code)));
		return;
	}
	retry(t, "the server answered " + statusLine(code));
}

void Fetcher::Impl::run(std::vector<std::unique_ptr<Transfer>> &transfers, std::size_t parallel)
{
	if (parallel == 0)
		parallel = 1;
	const Settings &s = owner_.settings_;
	const milliseconds headerTimeout = std::chrono::duration_cast<milliseconds>(s.responseHeaders);
	std::size_t next = 0;
	std::size_t active = 0; // running or waiting

	for (;;) {
		Clock::time_point now = Clock::now();
		// Start new transfers while there is room.
		while (active < parallel && next < transfers.size()) {
			Transfer &t = *transfers[next++];
			if (t.phase != Phase::Pending)
				continue;
			if (s.total.count() > 0) {
				t.hasDeadline = true;
				t.deadline = now + s.total;
			}
			start(t, true);
			if (t.phase != Phase::Done)
				active++;
		}

		// Timers: deadlines, header timeouts, retries that are due.
		milliseconds wait{ 1000 };
		auto until = [&](Clock::time_point tp) {
			auto d = std::chrono::duration_cast<milliseconds>(tp - now);
			wait = std::max(milliseconds(0), std::min(wait, d));
		};
		for (auto &tp : transfers) {
			Transfer &t = *tp;
			if (t.phase == Phase::Running) {
				if (t.hasDeadline && now >= t.deadline) {
					abortRunning(t);
					if (t.lastReason.empty())
						t.lastReason = "the attempt was still running";
					finish(t, unexpected(timeoutError(t)));
					active--;
					continue;
				}
				if (t.hasDeadline)
					until(t.deadline);
				if (!t.tftp && !t.headersDone && headerTimeout.count() > 0) {
					curl_off_t pre = 0;
					curl_easy_getinfo(t.easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
					if (pre > 0) {
						Clock::time_point limit = t.attemptStart + std::chrono::microseconds(pre) +
									  headerTimeout;
						if (now >= limit) {
							abortRunning(t);
							std::string reason = "timeout awaiting response headers (" +
									     std::to_string(s.responseHeaders.count()) +
									     "s, ignition.timeouts.httpResponseHeaders)";
							LOG(Fetch, Info) << "GET error: " << reason;
							retry(t, reason);
							if (t.phase == Phase::Done)
								active--;
							continue;
						}
						until(limit);
					} else {
						wait = std::min(wait, milliseconds(50));
					}
				}
			} else if (t.phase == Phase::Waiting) {
				if (now >= t.nextAttempt) {
					start(t, true);
					if (t.phase == Phase::Done)
						active--;
					else
						wait = milliseconds(0);
				} else {
					until(t.nextAttempt);
				}
			}
		}
		if (active == 0 && next >= transfers.size())
			break;

		int running = 0;
		curl_multi_perform(multi_, &running);
		int left = 0;
		bool progressed = false;
		while (CURLMsg *msg = curl_multi_info_read(multi_, &left)) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			Transfer *t = nullptr;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char **>(&t));
			CURLcode rc = msg->data.result;
			completed(*t, rc);
			progressed = true;
			if (t->phase == Phase::Done)
				active--;
		}
		if (active == 0 && next >= transfers.size())
			break;
		// A transfer ended: start the next one (or a redirect) now rather
		// than after the wait computed before it ended.
		if (progressed)
			continue;
		bool anyRunning = std::any_of(transfers.begin(), transfers.end(),
					      [](const auto &t) { return t->phase == Phase::Running; });
		if (anyRunning)
			curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait.count()), nullptr);
		else if (wait.count() > 0)
			usleep(static_cast<useconds_t>(wait.count()) * 1000);
	}
}

// --- Fetcher -------------------------------------------------------------------

Fetcher::Fetcher(bool offline) : offline_(offline), impl_(std::make_unique<Impl>(*this)) {}

Fetcher::~Fetcher() = default;

void Fetcher::setSettings(Settings settings)
{
	bool casChanged = settings.extraCaPem != settings_.extraCaPem;
	settings_ = std::move(settings);
	if (casChanged) {
		// The PEMs were checked when they were added (checkCaBundle);
		// one that fails here is skipped rather than trusted.
		if (Result<void> r = impl_->setCas(settings_.extraCaPem); !r)
			LOG(Fetch, Error) << "ignoring the extra CAs: " << r.error().message();
	}
}

void Fetcher::setRetryObserver(std::function<void(const RetryEvent &)> observer)
{
	observer_ = std::move(observer);
}

std::vector<Result<void>> Fetcher::fetchAll(const std::vector<Request> &reqs, std::size_t parallel,
					    std::vector<Stats> *stats, const std::function<void()> &afterLocal)
{
	std::vector<std::optional<Result<void>>> results(reqs.size());
	if (stats)
		stats->assign(reqs.size(), Stats{});
	std::vector<std::unique_ptr<Transfer>> transfers;
	std::vector<std::size_t> index;
	// data: URLs, decoded in process.
	std::vector<std::size_t> local;

	for (std::size_t i = 0; i < reqs.size(); i++) {
		const Request &req = reqs[i];
		auto fail = [&](Error e) { results[i] = Result<void>(unexpected(std::move(e))); };
		if (offline_ && urlNeedsNetwork(req.url)) {
			neededNetwork_ = true;
			fail(Error(std::string(kErrNeedNet)));
			continue;
		}
		if (req.url.empty()) {
			// Ignition: an empty source is empty contents, unverified.
			results[i] = Result<void>();
			continue;
		}
		if (req.url.starts_with("data:")) {
			local.push_back(i);
			continue;
		}
		Result<std::unique_ptr<ContentPipeline>> pipeline =
			ContentPipeline::create(req.compression, req.hash, req.sink);
		if (!pipeline) {
			fail(pipeline.error());
			continue;
		}
		auto u = parseGoUrl(req.url);
		if (!u) {
			fail(u.error());
			continue;
		}
		std::string url = req.url;
		if (u->scheme == "data") { // "DATA:" and the like
			local.push_back(i);
			continue;
		}
		if (u->scheme == "s3" || u->scheme == "arn") {
			Result<std::string> mapped = s3ObjectUrl(req.url, settings_.s3Endpoint);
			if (!mapped) {
				fail(mapped.error());
				continue;
			}
			url = std::move(*mapped);
		} else if (u->scheme == "gs") {
			Result<std::string> mapped = gcsObjectUrl(req.url, settings_.gcsEndpoint);
			if (!mapped) {
				fail(mapped.error());
				continue;
			}
			url = std::move(*mapped);
		} else if (u->scheme != "http" && u->scheme != "https" && u->scheme != "tftp") {
			fail(Error(std::string(kErrSchemeUnsupported) + " " + go::quote(u->scheme)));
			continue;
		}
		auto t = std::make_unique<Transfer>();
		t->req = &req;
		t->url = std::move(url);
		t->tftp = u->scheme == "tftp";
		t->pipeline = std::move(*pipeline);
		t->stats = stats ? &(*stats)[i] : nullptr;
		transfers.push_back(std::move(t));
		index.push_back(i);
	}

	auto decodeLocal = [&]() {
		for (std::size_t i : local) {
			const Request &req = reqs[i];
			results[i] = [&]() -> Result<void> {
				try {
					Result<std::unique_ptr<ContentPipeline>> pipeline =
						ContentPipeline::create(req.compression, req.hash, req.sink);
					if (!pipeline)
						return unexpected(pipeline.error());
					if (auto u = parseGoUrl(req.url); !u)
						return unexpected(u.error());
					Result<DataUrl> d = decodeDataUrl(req.url);
					if (!d)
						return unexpected(d.error());
					Result<void> r = (*pipeline)->feed(d->data);
					if (r)
						r = (*pipeline)->finish();
					if (stats)
						(*stats)[i].bytes = (*pipeline)->bytesOut();
					return r;
				} catch (const std::exception &e) {
					return unexpected(Error(std::string("decoding data URL: ") + e.what()));
				}
			}();
		}
		if (afterLocal)
			afterLocal();
	};
	if (transfers.empty() || local.empty()) {
		decodeLocal();
		if (!transfers.empty())
			impl_->run(transfers, parallel);
	} else {
		// The data: URLs are decoded (and written to their sinks) on a
		// second thread while this one waits on the network; they share
		// nothing with the transfers. decodeLocal logs nothing.
		std::thread decoder(decodeLocal);
		impl_->run(transfers, parallel);
		decoder.join();
	}
	for (std::size_t k = 0; k < transfers.size(); k++)
		results[index[k]] = std::move(*transfers[k]->result);

	std::vector<Result<void>> out;
	out.reserve(results.size());
	for (auto &r : results)
		out.push_back(std::move(*r));
	return out;
}

Result<void> Fetcher::fetch(const Request &req, Stats *stats)
{
	std::vector<Request> one{ req };
	std::vector<Stats> st;
	std::vector<Result<void>> r = fetchAll(one, 1, &st);
	if (stats)
		*stats = st.front();
	return std::move(r.front());
}

Result<std::string> Fetcher::fetchToString(Request req)
{
	StringSink sink;
	req.sink = &sink;
	Result<void> r = fetch(req);
	if (!r)
		return unexpected(r.error());
	return std::move(sink.data());
}

} // namespace flint::fetch
