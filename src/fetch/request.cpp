// The fetch layer's small pieces: the in-memory and file sinks, requests made from config resources, URL helpers.
#include <cerrno>
#include <unistd.h>

#include "flint/base/url.h"
#include "flint/config/types.h"
#include "flint/fetch/fetcher.h"

namespace flint::fetch {

// --- sinks -------------------------------------------------------------------

Result<void> StringSink::write(std::string_view bytes)
{
	data_.append(bytes);
	return {};
}

Result<void> StringSink::rewind()
{
	data_.clear();
	return {};
}

FdSink::FdSink(int fd) : fd_(fd), start_(lseek(fd, 0, SEEK_CUR))
{
	if (start_ < 0)
		start_ = 0;
}

Result<void> FdSink::write(std::string_view bytes)
{
	while (!bytes.empty()) {
		ssize_t n = ::write(fd_, bytes.data(), bytes.size());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOSPC)
				return unexpected(errnoError("writing the fetched contents (out of space: on a live "
							     "system that is RAM)"));
			return unexpected(errnoError("writing the fetched contents"));
		}
		bytes.remove_prefix(static_cast<std::size_t>(n));
	}
	return {};
}

Result<void> FdSink::rewind()
{
	if (ftruncate(fd_, start_) != 0 || lseek(fd_, start_, SEEK_SET) < 0)
		return unexpected(errnoError("rewinding the destination for a retry"));
	return {};
}

// --- URLs --------------------------------------------------------------------

bool urlNeedsNetwork(std::string_view url)
{
	return !url.empty() && !url.starts_with("data:");
}

std::string redactUrl(std::string_view url)
{
	if (url.starts_with("data:"))
		return "data URL";
	auto u = parseGoUrl(url);
	if (!u)
		return "(unparsable URL)";
	if (!u->hasUser && u->rawQuery.empty() && u->fragment.empty())
		return std::string(url);
	std::string out = u->scheme + ":";
	if (!u->opaque.empty()) {
		out += u->opaque;
	} else {
		out += "//";
		if (u->hasUser)
			out += "redacted@";
		out += u->host;
		out += u->rawPath.empty() ? u->path : u->rawPath;
	}
	if (!u->rawQuery.empty())
		out += "?redacted";
	return out;
}

Request requestFor(const config::Resource &res, Sink *sink)
{
	Request req;
	req.url = res.source.value_or("");
	for (const config::HttpHeader &h : res.httpHeaders)
		req.headers.push_back(Header{ h.name, h.value.value_or("") });
	req.compression = res.compression.value_or("");
	req.hash = res.verification.hash.value_or("");
	req.sink = sink;
	return req;
}

} // namespace flint::fetch
