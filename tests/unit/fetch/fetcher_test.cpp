// The Fetcher's many-at-once mode (curl multi), its sinks and its refusals,
// against a real HTTP server on 127.0.0.1.
//
// The server here is a real one (sockets, threads, HTTP/1.1 on loopback),
// written in the test so that it can count how many requests are in flight
// at once; the fetcher's protocol behaviour is tested end to end against
// other real servers in tests/fetch/.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "flint/fetch/fetcher.h"

using namespace flint;
using namespace flint::fetch;

namespace {

// Answers GET /<name> with "body-<name>" after holding the request for
// `holdMs`, GET /missing with 404; counts concurrent requests.
class LoopbackServer final
{
public:
	explicit LoopbackServer(int holdMs) : holdMs_(holdMs)
	{
		fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		sockaddr_in addr{};
		addr.sin_family = AF_INET;
		addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
		EXPECT_EQ(listen(fd_, 64), 0);
		socklen_t len = sizeof(addr);
		getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len);
		port_ = ntohs(addr.sin_port);
		acceptor_ = std::thread([this] { acceptLoop(); });
	}
	~LoopbackServer()
	{
		stopping_ = true;
		shutdown(fd_, SHUT_RDWR);
		close(fd_);
		acceptor_.join();
		for (std::thread &t : workers_)
			t.join();
	}

	std::string url(const std::string &name) const
	{
		return "http://127.0.0.1:" + std::to_string(port_) + "/" + name;
	}
	int maxInFlight() const { return maxInFlight_; }
	int requests() const { return requests_; }

private:
	void acceptLoop()
	{
		for (;;) {
			int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
			if (c < 0) {
				if (stopping_)
					return;
				continue;
			}
			std::lock_guard<std::mutex> lock(mutex_);
			workers_.emplace_back([this, c] { serve(c); });
		}
	}

	void serve(int c)
	{
		std::string req;
		char buf[4096];
		while (req.find("\r\n\r\n") == std::string::npos) {
			ssize_t n = read(c, buf, sizeof(buf));
			if (n <= 0) {
				close(c);
				return;
			}
			req.append(buf, static_cast<std::size_t>(n));
		}
		requests_++;
		int now = ++inFlight_;
		int seen = maxInFlight_;
		while (now > seen && !maxInFlight_.compare_exchange_weak(seen, now)) {
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(holdMs_));
		std::string path = req.substr(4, req.find(' ', 4) - 4);
		std::string resp;
		if (path == "/missing") {
			resp = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
		} else {
			std::string body = "body-" + path.substr(1);
			resp = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
			       "\r\nConnection: close\r\n\r\n" + body;
		}
		--inFlight_;
		ssize_t ignored = write(c, resp.data(), resp.size());
		(void)ignored;
		close(c);
	}

	int fd_ = -1;
	int port_ = 0;
	int holdMs_;
	std::atomic<bool> stopping_{ false };
	std::atomic<int> inFlight_{ 0 };
	std::atomic<int> maxInFlight_{ 0 };
	std::atomic<int> requests_{ 0 };
	std::mutex mutex_;
	std::thread acceptor_;
	std::vector<std::thread> workers_;
};

TEST(Fetcher, FetchAllRunsUpToParallelAtOnceAndKeepsOrder)
{
	LoopbackServer server(300);
	Fetcher fetcher;
	std::vector<StringSink> sinks(8);
	std::vector<Request> reqs;
	for (int i = 0; i < 8; i++) {
		Request r;
		r.url = server.url(i == 5 ? "missing" : "f" + std::to_string(i));
		r.sink = &sinks[i];
		reqs.push_back(r);
	}
	std::vector<Stats> stats;
	std::vector<Result<void>> results = fetcher.fetchAll(reqs, 4, &stats);
	ASSERT_EQ(results.size(), 8u);
	for (int i = 0; i < 8; i++) {
		if (i == 5) {
			ASSERT_FALSE(results[i]);
			EXPECT_EQ(results[i].error().message(), "resource not found (HTTP 404 Not Found)");
			continue;
		}
		ASSERT_TRUE(results[i]) << i << ": " << results[i].error().message();
		EXPECT_EQ(sinks[i].data(), "body-f" + std::to_string(i));
		EXPECT_EQ(stats[i].attempts, 1u);
		EXPECT_EQ(stats[i].bytes, sinks[i].data().size());
	}
	EXPECT_EQ(server.requests(), 8);
	// Each request is held 300 ms, so the four slots are all busy at once;
	// never more than four.
	EXPECT_LE(server.maxInFlight(), 4);
	EXPECT_GE(server.maxInFlight(), 3);
}

TEST(Fetcher, OneAtATimeWhenParallelIsOne)
{
	LoopbackServer server(50);
	Fetcher fetcher;
	std::vector<StringSink> sinks(3);
	std::vector<Request> reqs;
	for (int i = 0; i < 3; i++) {
		Request r;
		r.url = server.url("s" + std::to_string(i));
		r.sink = &sinks[i];
		reqs.push_back(r);
	}
	for (const Result<void> &r : fetcher.fetchAll(reqs, 1))
		EXPECT_TRUE(r);
	EXPECT_EQ(server.maxInFlight(), 1);
}

TEST(Fetcher, OfflineRefusesTheNetworkButNotDataUrls)
{
	Fetcher fetcher(true);
	Request data;
	data.url = "data:,offline%20ok";
	Result<std::string> got = fetcher.fetchToString(data);
	ASSERT_TRUE(got);
	EXPECT_EQ(*got, "offline ok");
	EXPECT_FALSE(fetcher.neededNetwork());

	Request remote;
	remote.url = "http://127.0.0.1:9/x";
	Result<std::string> refused = fetcher.fetchToString(remote);
	ASSERT_FALSE(refused);
	EXPECT_EQ(refused.error().message(), kErrNeedNet);
	EXPECT_TRUE(fetcher.neededNetwork());
}

TEST(Fetcher, EmptySourceIsEmptyAndUnverified)
{
	Fetcher fetcher;
	Request r;
	r.hash = "sha256-" + std::string(64, '0');
	Result<std::string> got = fetcher.fetchToString(r);
	ASSERT_TRUE(got);
	EXPECT_EQ(*got, "");
}

TEST(Fetcher, UnsupportedSchemes)
{
	Fetcher fetcher;
	for (const char *url : { "ftp://127.0.0.1/x", "file:///etc/passwd" }) {
		Request r;
		r.url = url;
		Result<std::string> got = fetcher.fetchToString(r);
		ASSERT_FALSE(got) << url;
		EXPECT_EQ(got.error().message().rfind("unsupported source scheme", 0), 0u) << got.error().message();
	}
}

TEST(Fetcher, FdSinkRewindTruncatesToItsStart)
{
	char path[] = "/tmp/flint-fdsink-XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, "head:", 5), 5);
	FdSink sink(fd);
	ASSERT_TRUE(sink.write("first attempt"));
	ASSERT_TRUE(sink.rewind());
	ASSERT_TRUE(sink.write("second"));
	char buf[64] = {};
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 0), 11);
	EXPECT_EQ(std::string(buf), "head:second");
	close(fd);
	unlink(path);
}

TEST(Fetcher, RedactUrl)
{
	EXPECT_EQ(redactUrl("https://user:pw@h.example/c.ign?token=x"), "https://redacted@h.example/c.ign?redacted");
	EXPECT_EQ(redactUrl("http://h/c.ign"), "http://h/c.ign");
	EXPECT_EQ(redactUrl("data:,secret"), "data URL");
}

} // namespace
