// Go 1.19 net/url parsing (Parse, ParseQuery, unescaping), ported line by line.
#include "flint/base/url.h"

#include <algorithm>

#include "flint/base/go.h"

namespace flint {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

bool isHex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned char unhex(char c)
{
	if (c >= '0' && c <= '9')
		return static_cast<unsigned char>(c - '0');
	if (c >= 'a' && c <= 'f')
		return static_cast<unsigned char>(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return static_cast<unsigned char>(c - 'A' + 10);
	return 0;
}

enum class Mode { Path, PathSegment, Host, Zone, UserPassword, QueryComponent, Fragment };

bool shouldEscape(unsigned char c, Mode mode)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return false;

	if (mode == Mode::Host || mode == Mode::Zone) {
		switch (c) {
		case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+':
		case ',': case ';': case '=': case ':': case '[': case ']': case '<': case '>': case '"':
			return false;
		default:
			break;
		}
	}

	switch (c) {
	case '-': case '_': case '.': case '~':
		return false;
	case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '?': case '@':
		switch (mode) {
		case Mode::Path:
			return c == '?';
		case Mode::PathSegment:
			return c == '/' || c == ';' || c == ',' || c == '?';
		case Mode::UserPassword:
			return c == '@' || c == '/' || c == '?' || c == ':';
		case Mode::QueryComponent:
			return true;
		case Mode::Fragment:
			return false;
		default:
			break;
		}
		break;
	default:
		break;
	}

	if (mode == Mode::Fragment) {
		switch (c) {
		case '!': case '(': case ')': case '*':
			return false;
		default:
			break;
		}
	}
	return true;
}

Unexpected escapeError(std::string_view s)
{
	return unexpected("invalid URL escape " + go::quote(s));
}

Result<std::string> unescape(std::string_view s, Mode mode)
{
	std::size_t n = 0;
	bool hasPlus = false;
	for (std::size_t i = 0; i < s.size();) {
		const auto c = static_cast<unsigned char>(s[i]);
		if (c == '%') {
			n++;
			if (i + 2 >= s.size() || !isHex(s[i + 1]) || !isHex(s[i + 2]))
				return escapeError(s.substr(i, 3));
			if (mode == Mode::Host && unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25")
				return escapeError(s.substr(i, 3));
			if (mode == Mode::Zone) {
				auto v = static_cast<unsigned char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
				if (s.substr(i, 3) != "%25" && v != ' ' && shouldEscape(v, Mode::Host))
					return escapeError(s.substr(i, 3));
			}
			i += 3;
		} else if (c == '+') {
			hasPlus = mode == Mode::QueryComponent;
			i++;
		} else {
			if ((mode == Mode::Host || mode == Mode::Zone) && c < 0x80 && shouldEscape(c, mode))
				return unexpected("invalid character " + go::quote(s.substr(i, 1)) + " in host name");
			i++;
		}
	}

	if (n == 0 && !hasPlus)
		return std::string(s);

	std::string t;
	t.reserve(s.size() - 2 * n);
	for (std::size_t i = 0; i < s.size(); i++) {
		switch (s[i]) {
		case '%':
			t.push_back(static_cast<char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2])));
			i += 2;
			break;
		case '+':
			t.push_back(mode == Mode::QueryComponent ? ' ' : '+');
			break;
		default:
			t.push_back(s[i]);
		}
	}
	return t;
}

std::string escape(std::string_view s, Mode mode)
{
	std::string t;
	t.reserve(s.size());
	for (char ch : s) {
		const auto c = static_cast<unsigned char>(ch);
		if (c == ' ' && mode == Mode::QueryComponent) {
			t.push_back('+');
		} else if (shouldEscape(c, mode)) {
			t.push_back('%');
			t.push_back(kUpperHex[c >> 4]);
			t.push_back(kUpperHex[c & 15]);
		} else {
			t.push_back(ch);
		}
	}
	return t;
}

bool validOptionalPort(std::string_view port)
{
	if (port.empty())
		return true;
	if (port[0] != ':')
		return false;
	// Go ranges over runes; any non-ASCII rune fails just as its bytes do.
	return std::all_of(port.begin() + 1, port.end(), [](char b) { return b >= '0' && b <= '9'; });
}

bool validUserinfo(std::string_view s)
{
	for (char ch : s) {
		const auto r = static_cast<unsigned char>(ch);
		if ((r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'))
			continue;
		switch (r) {
		case '-': case '.': case '_': case ':': case '~': case '!': case '$': case '&': case '\'':
		case '(': case ')': case '*': case '+': case ',': case ';': case '=': case '%': case '@':
			continue;
		default:
			// Includes every byte of a non-ASCII rune, which Go rejects too.
			return false;
		}
	}
	return true;
}

bool containsCtlByte(std::string_view s)
{
	return std::any_of(s.begin(), s.end(), [](char ch) {
		auto b = static_cast<unsigned char>(ch);
		return b < ' ' || b == 0x7f;
	});
}

struct SchemeSplit {
	std::string_view scheme;
	std::string_view rest;
};

Result<SchemeSplit> getScheme(std::string_view raw)
{
	for (std::size_t i = 0; i < raw.size(); i++) {
		const char c = raw[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			continue;
		} else if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				return SchemeSplit{ {}, raw };
		} else if (c == ':') {
			if (i == 0)
				return unexpected("missing protocol scheme");
			return SchemeSplit{ raw.substr(0, i), raw.substr(i + 1) };
		} else {
			return SchemeSplit{ {}, raw };
		}
	}
	return SchemeSplit{ {}, raw };
}

Result<std::string> parseHost(std::string_view host)
{
	if (!host.empty() && host[0] == '[') {
		std::size_t i = host.rfind(']');
		if (i == std::string_view::npos)
			return unexpected("missing ']' in host");
		std::string_view colonPort = host.substr(i + 1);
		if (!validOptionalPort(colonPort))
			return unexpected("invalid port " + go::quote(colonPort) + " after host");

		std::size_t zone = host.substr(0, i).find("%25");
		if (zone != std::string_view::npos) {
			auto host1 = unescape(host.substr(0, zone), Mode::Host);
			if (!host1)
				return unexpected(host1.error());
			auto host2 = unescape(host.substr(zone, i - zone), Mode::Zone);
			if (!host2)
				return unexpected(host2.error());
			auto host3 = unescape(host.substr(i), Mode::Host);
			if (!host3)
				return unexpected(host3.error());
			return *host1 + *host2 + *host3;
		}
	} else if (std::size_t i = host.rfind(':'); i != std::string_view::npos) {
		std::string_view colonPort = host.substr(i);
		if (!validOptionalPort(colonPort))
			return unexpected("invalid port " + go::quote(colonPort) + " after host");
	}
	return unescape(host, Mode::Host);
}

Result<void> parseAuthority(std::string_view authority, GoUrl &url)
{
	std::size_t i = authority.rfind('@');
	auto host = parseHost(i == std::string_view::npos ? authority : authority.substr(i + 1));
	if (!host)
		return unexpected(host.error());
	if (i == std::string_view::npos) {
		url.host = std::move(*host);
		return {};
	}
	std::string_view userinfo = authority.substr(0, i);
	if (!validUserinfo(userinfo))
		return unexpected("net/url: invalid userinfo");
	std::size_t colon = userinfo.find(':');
	auto username = unescape(userinfo.substr(0, colon), Mode::UserPassword);
	if (!username)
		return unexpected(username.error());
	if (colon != std::string_view::npos) {
		auto password = unescape(userinfo.substr(colon + 1), Mode::UserPassword);
		if (!password)
			return unexpected(password.error());
		url.password = std::move(*password);
		url.hasPassword = true;
	}
	url.user = std::move(*username);
	url.hasUser = true;
	url.host = std::move(*host);
	return {};
}

bool hasPrefix(std::string_view s, std::string_view prefix)
{
	return s.substr(0, prefix.size()) == prefix;
}

// url.parse(rawURL, viaRequest=false); the error is the bare reason.
Result<GoUrl> parse(std::string_view raw)
{
	if (containsCtlByte(raw))
		return unexpected("net/url: invalid control character in URL");

	GoUrl url;
	if (raw == "*") {
		url.path = "*";
		return url;
	}

	auto split = getScheme(raw);
	if (!split)
		return unexpected(split.error());
	url.scheme = std::string(split->scheme);
	for (char &c : url.scheme) {
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c + ('a' - 'A'));
	}
	std::string_view rest = split->rest;

	if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
		url.forceQuery = true;
		rest.remove_suffix(1);
	} else if (std::size_t q = rest.find('?'); q != std::string_view::npos) {
		url.rawQuery = std::string(rest.substr(q + 1));
		rest = rest.substr(0, q);
	}

	if (!hasPrefix(rest, "/")) {
		if (!url.scheme.empty()) {
			url.opaque = std::string(rest);
			return url;
		}
		std::string_view segment = rest.substr(0, rest.find('/'));
		if (segment.find(':') != std::string_view::npos)
			return unexpected("first path segment in URL cannot contain colon");
	}

	if ((!url.scheme.empty() || !hasPrefix(rest, "///")) && hasPrefix(rest, "//")) {
		std::string_view authority = rest.substr(2);
		rest = {};
		if (std::size_t i = authority.find('/'); i != std::string_view::npos) {
			rest = authority.substr(i);
			authority = authority.substr(0, i);
		}
		auto r = parseAuthority(authority, url);
		if (!r)
			return unexpected(r.error());
	} else if (!url.scheme.empty() && hasPrefix(rest, "/")) {
		url.omitHost = true;
	}

	auto path = unescape(rest, Mode::Path);
	if (!path)
		return unexpected(path.error());
	url.path = std::move(*path);
	if (escape(url.path, Mode::Path) != rest)
		url.rawPath = std::string(rest);
	return url;
}

Unexpected urlError(std::string_view url, const Error &reason)
{
	return unexpected("parse " + go::quote(url) + ": " + reason.message());
}

} // namespace

Result<GoUrl> parseGoUrl(std::string_view raw)
{
	std::size_t hash = raw.find('#');
	std::string_view u = raw.substr(0, hash);
	auto url = parse(u);
	if (!url)
		return urlError(u, url.error());
	if (hash == std::string_view::npos || hash + 1 == raw.size())
		return url;
	std::string_view frag = raw.substr(hash + 1);
	auto f = unescape(frag, Mode::Fragment);
	if (!f)
		return urlError(raw, f.error());
	url->fragment = std::move(*f);
	if (escape(url->fragment, Mode::Fragment) != frag)
		url->rawFragment = std::string(frag);
	return url;
}

std::vector<std::pair<std::string, std::string>> parseGoQuery(std::string_view query)
{
	std::vector<std::pair<std::string, std::string>> out;
	while (!query.empty()) {
		std::string_view key = query;
		if (std::size_t amp = query.find('&'); amp != std::string_view::npos) {
			key = query.substr(0, amp);
			query = query.substr(amp + 1);
		} else {
			query = {};
		}
		if (key.find(';') != std::string_view::npos || key.empty())
			continue;
		std::string_view value;
		if (std::size_t eq = key.find('='); eq != std::string_view::npos) {
			value = key.substr(eq + 1);
			key = key.substr(0, eq);
		}
		auto k = unescape(key, Mode::QueryComponent);
		if (!k)
			continue;
		auto v = unescape(value, Mode::QueryComponent);
		if (!v)
			continue;
		out.emplace_back(std::move(*k), std::move(*v));
	}
	return out;
}

std::optional<std::string> queryGet(const std::vector<std::pair<std::string, std::string>> &query,
				    std::string_view key)
{
	for (const auto &[k, v] : query) {
		if (k == key)
			return v;
	}
	return std::nullopt;
}

Result<std::string> goQueryUnescape(std::string_view s)
{
	return unescape(s, Mode::QueryComponent);
}

Result<std::string> goPathUnescape(std::string_view s)
{
	return unescape(s, Mode::PathSegment);
}

} // namespace flint
