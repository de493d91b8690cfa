// Proxy selection: golang.org/x/net/http/httpproxy as Ignition 2.14 vends it, ported line by line.
//
// Known deviations from Go, all for inputs outside what a working config
// uses:
// - Non-ASCII host names are compared as UTF-8 bytes with ASCII-only
//   lowercasing; Go maps both sides through IDNA (idna.Lookup.ToASCII) after
//   Unicode lowercasing, so "xn--bcher-kva.de" in noProxy matches a request
//   to "bücher.de" in Go but not here, nor does "BÜCHER.de" match "bücher.de".
// - For a socks5 proxy the returned URL says socks5h: Go's SOCKS dialer hands
//   the host name to the proxy, which is what libcurl calls socks5h.
// - The proxy URL is returned as written (or with "http://" in front), not
//   re-serialised from Go's parsed *url.URL; libcurl parses it again.
// - IP addresses are parsed as Go 1.17 and later do (no leading zeros in
//   IPv4 octets), the Go that builds Ignition 2.14.

#include "flint/fetch/proxy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "flint/base/go.h"
#include "flint/base/url.h"

namespace flint::fetch {

namespace {

// A net.IP: 16 bytes as ParseIP returns it (IPv4 as ::ffff:a.b.c.d), or 4
// where Go's code has shortened it with To4 or Mask.
struct Ip {
	std::array<std::uint8_t, 16> b{};
	std::size_t len = 0;

	bool operator==(const Ip &o) const
	{
		return len == o.len && std::equal(b.begin(), b.begin() + len, o.b.begin());
	}
};

constexpr std::array<std::uint8_t, 12> kV4InV6Prefix = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

bool hasV4InV6Prefix(const Ip &ip)
{
	return ip.len == 16 && std::equal(kV4InV6Prefix.begin(), kV4InV6Prefix.end(), ip.b.begin());
}

// IP.To4: the 4-byte form of an IPv4 address, nullopt for IPv6.
std::optional<Ip> to4(const Ip &ip)
{
	if (ip.len == 4)
		return ip;
	if (!hasV4InV6Prefix(ip))
		return std::nullopt;
	Ip v4;
	v4.len = 4;
	std::copy(ip.b.begin() + 12, ip.b.end(), v4.b.begin());
	return v4;
}

bool isHexDigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// parseIPv4. inet_pton(AF_INET) accepts exactly what Go 1.17+ does: four
// decimal octets, no leading zeros, nothing around them. The string is
// copied for the terminating NUL, so an embedded NUL must be refused here.
std::optional<Ip> parseIPv4(std::string_view s)
{
	if (s.find('\0') != std::string_view::npos)
		return std::nullopt;
	const std::string z(s);
	std::array<std::uint8_t, 4> v4;
	if (inet_pton(AF_INET, z.c_str(), v4.data()) != 1)
		return std::nullopt;
	Ip ip;
	ip.len = 16;
	std::copy(kV4InV6Prefix.begin(), kV4InV6Prefix.end(), ip.b.begin());
	std::copy(v4.begin(), v4.end(), ip.b.begin() + 12);
	return ip;
}

// parseIPv6. inet_pton(AF_INET6) differs from Go in one way only: Go's
// xtoi takes any number of leading zeros in a group ("00001::" is "1::"),
// glibc at most four hex digits. Groups longer than four are trimmed of
// leading zeros first; whatever is still too long fails in both.
std::optional<Ip> parseIPv6(std::string_view s)
{
	if (s.find('\0') != std::string_view::npos)
		return std::nullopt;
	std::string z;
	z.reserve(s.size());
	std::size_t start = 0;
	while (true) {
		std::size_t end = s.find(':', start);
		std::string_view group = s.substr(start, end == std::string_view::npos ? end : end - start);
		if (group.size() > 4 && std::all_of(group.begin(), group.end(), isHexDigit)) {
			while (group.size() > 4 && group[0] == '0')
				group.remove_prefix(1);
		}
		z += group;
		if (end == std::string_view::npos)
			break;
		z += ':';
		start = end + 1;
	}
	Ip ip;
	ip.len = 16;
	if (inet_pton(AF_INET6, z.c_str(), ip.b.data()) != 1)
		return std::nullopt;
	return ip;
}

// net.ParseIP: the first '.' or ':' decides the family.
std::optional<Ip> parseIp(std::string_view s)
{
	for (char c : s) {
		if (c == '.')
			return parseIPv4(s);
		if (c == ':')
			return parseIPv6(s);
	}
	return std::nullopt;
}

bool isLoopback(const Ip &ip)
{
	if (auto v4 = to4(ip))
		return v4->b[0] == 127;
	Ip loopback;
	loopback.len = 16;
	loopback.b[15] = 1;
	return ip == loopback;
}

// A net.IPNet as ParseCIDR builds it: the masked address and the mask, each
// 4 or 16 bytes.
struct IpNet {
	Ip ip;
	Ip mask;

	// IPNet.Contains, with networkNumberAndMask.
	bool contains(Ip addr) const
	{
		Ip nn;
		if (auto v4 = to4(ip)) {
			nn = *v4;
		} else {
			nn = ip;
			if (nn.len != 16)
				return false;
		}
		Ip m = mask;
		if (m.len == 4) {
			if (nn.len != 4)
				return false;
		} else if (m.len == 16) {
			if (nn.len == 4) {
				std::copy(m.b.begin() + 12, m.b.end(), m.b.begin());
				m.len = 4;
			}
		} else {
			return false;
		}
		if (auto v4 = to4(addr))
			addr = *v4;
		if (addr.len != nn.len)
			return false;
		for (std::size_t i = 0; i < addr.len; i++) {
			if ((nn.b[i] & m.b[i]) != (addr.b[i] & m.b[i]))
				return false;
		}
		return true;
	}
};

// dtoi: leading decimal digits, failing from 0xFFFFFF on, as Go does.
struct Dtoi {
	int n;
	std::size_t used;
	bool ok;
};

Dtoi dtoi(std::string_view s)
{
	constexpr int kBig = 0xFFFFFF;
	int n = 0;
	std::size_t i = 0;
	for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++) {
		n = n * 10 + (s[i] - '0');
		if (n >= kBig)
			return { kBig, i, false };
	}
	if (i == 0)
		return { 0, 0, false };
	return { n, i, true };
}

// net.ParseCIDR, keeping only the network.
std::optional<IpNet> parseCidr(std::string_view s)
{
	const std::size_t slash = s.find('/');
	if (slash == std::string_view::npos)
		return std::nullopt;
	const std::string_view addr = s.substr(0, slash);
	const std::string_view maskText = s.substr(slash + 1);

	std::size_t ipLen = 4;
	std::optional<Ip> ip = parseIPv4(addr);
	if (!ip) {
		ipLen = 16;
		ip = parseIPv6(addr);
	}
	const Dtoi d = dtoi(maskText);
	if (!ip || !d.ok || d.used != maskText.size() || d.n < 0 ||
	    static_cast<std::size_t>(d.n) > 8 * ipLen)
		return std::nullopt;

	// CIDRMask(n, 8*ipLen).
	Ip mask;
	mask.len = ipLen;
	for (std::size_t i = 0, ones = static_cast<std::size_t>(d.n); i < ipLen; i++) {
		if (ones >= 8) {
			mask.b[i] = 0xff;
			ones -= 8;
		} else {
			mask.b[i] = static_cast<std::uint8_t>(~(0xff >> ones));
			ones = 0;
		}
	}

	// IP.Mask: a 16-byte mask is never shortened here (ipLen decides its
	// size together with the address's family), a 4-byte one shortens the
	// IPv4 address to 4 bytes.
	Ip net = *ip;
	if (mask.len == 4 && hasV4InV6Prefix(net)) {
		std::copy(net.b.begin() + 12, net.b.end(), net.b.begin());
		net.len = 4;
	}
	if (net.len != mask.len)
		return std::nullopt;
	for (std::size_t i = 0; i < net.len; i++)
		net.b[i] &= mask.b[i];
	return IpNet{ net, mask };
}

// net.SplitHostPort.
struct HostPort {
	std::string_view host;
	std::string_view port;
};

std::optional<HostPort> splitHostPort(std::string_view hostport)
{
	const std::size_t i = hostport.rfind(':');
	if (i == std::string_view::npos)
		return std::nullopt;

	std::string_view host;
	std::size_t j = 0, k = 0;
	if (hostport[0] == '[') {
		const std::size_t end = hostport.find(']');
		if (end == std::string_view::npos)
			return std::nullopt;
		// The ']' must come right before the last ':'.
		if (end + 1 != i)
			return std::nullopt;
		host = hostport.substr(1, end - 1);
		j = 1;
		k = end + 1;
	} else {
		host = hostport.substr(0, i);
		if (host.find(':') != std::string_view::npos)
			return std::nullopt;
	}
	if (hostport.find('[', j) != std::string_view::npos)
		return std::nullopt;
	if (hostport.find(']', k) != std::string_view::npos)
		return std::nullopt;
	return HostPort{ host, hostport.substr(i + 1) };
}

// net.JoinHostPort.
std::string joinHostPort(std::string_view host, std::string_view port)
{
	if (host.find(':') != std::string_view::npos)
		return "[" + std::string(host) + "]:" + std::string(port);
	return std::string(host) + ":" + std::string(port);
}

// url.URL.Hostname and Port: a port must be all digits, else the whole
// string is the host.
HostPort urlHostPort(std::string_view hostport)
{
	std::string_view host = hostport;
	std::string_view port;
	const std::size_t colon = host.rfind(':');
	if (colon != std::string_view::npos &&
	    std::all_of(host.begin() + colon + 1, host.end(), [](char c) { return c >= '0' && c <= '9'; })) {
		port = host.substr(colon + 1);
		host = host.substr(0, colon);
	}
	if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
		host = host.substr(1, host.size() - 2);
	return { host, port };
}

// strings.ToLower for the ASCII letters; see the deviations above.
std::string asciiLower(std::string_view s)
{
	std::string out(s);
	for (char &c : out) {
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	}
	return out;
}

// One noProxy entry.
struct Matcher {
	enum class Kind { All, Cidr, Ip, Domain };
	Kind kind = Kind::All;
	IpNet net{};            // Cidr
	Ip ip{};                // Ip
	std::string host{};     // Domain: always starts with '.'
	std::string port{};     // Ip, Domain: "" matches any port
	bool matchHost = false; // Domain: host without its leading '.' matches too

	bool match(std::string_view addr, std::string_view addrPort, const std::optional<Ip> &addrIp) const
	{
		switch (kind) {
		case Kind::All:
			return true;
		case Kind::Cidr:
			return net.contains(*addrIp);
		case Kind::Ip:
			return ip == *addrIp && (port.empty() || port == addrPort);
		case Kind::Domain:
			if (addr.ends_with(host) || (matchHost && addr == std::string_view(host).substr(1)))
				return port.empty() || port == addrPort;
			return false;
		}
		return false;
	}
};

struct Matchers {
	std::vector<Matcher> ip;
	std::vector<Matcher> domain;
};

// The noProxy half of config.init.
Matchers parseNoProxy(const std::vector<std::string> &noProxy)
{
	Matchers m;
	// Ignition joins the list with "," and httpproxy splits it again, so an
	// entry containing a comma is two entries.
	std::string joined;
	for (std::size_t i = 0; i < noProxy.size(); i++) {
		if (i)
			joined += ',';
		joined += noProxy[i];
	}

	std::size_t start = 0;
	while (start <= joined.size()) {
		std::size_t comma = joined.find(',', start);
		if (comma == std::string::npos)
			comma = joined.size();
		const std::string p = asciiLower(go::trimSpace(std::string_view(joined).substr(start, comma - start)));
		start = comma + 1;
		if (p.empty())
			continue;

		if (p == "*") {
			Matcher all;
			all.kind = Matcher::Kind::All;
			m.ip.assign(1, all);
			m.domain.assign(1, all);
			return m;
		}

		// IPv4/CIDR, IPv6/CIDR
		if (auto net = parseCidr(p)) {
			Matcher cidr;
			cidr.kind = Matcher::Kind::Cidr;
			cidr.net = *net;
			m.ip.push_back(cidr);
			continue;
		}

		// IPv4:port, [IPv6]:port
		std::string_view phost;
		std::string_view pport;
		if (auto hp = splitHostPort(p)) {
			phost = hp->host;
			pport = hp->port;
			if (phost.empty())
				continue; // no host part: malformed, ignored
			if (phost.front() == '[' && phost.back() == ']')
				phost = phost.substr(1, phost.size() - 2);
		} else {
			phost = p;
		}

		// IPv4, IPv6
		if (auto pip = parseIp(phost)) {
			Matcher ip;
			ip.kind = Matcher::Kind::Ip;
			ip.ip = *pip;
			ip.port = pport;
			m.ip.push_back(ip);
			continue;
		}

		if (phost.empty())
			continue;

		// domain.com or domain.com:80 (also matches bar.domain.com),
		// .domain.com or .domain.com:port, *.domain.com or *.domain.com:port
		if (phost.starts_with("*."))
			phost.remove_prefix(1);
		Matcher domain;
		domain.kind = Matcher::Kind::Domain;
		if (phost.front() != '.') {
			domain.matchHost = true;
			domain.host = ".";
		}
		domain.host += phost;
		domain.port = pport;
		m.domain.push_back(std::move(domain));
	}
	return m;
}

// parseProxy, returning the URL for libcurl instead of a *url.URL: what
// was written when Go takes it as it is, else "http://" + it; "" when
// there is no proxy or Go gives up on the value (init ignores the error).
std::string parseProxy(const std::string &proxy)
{
	if (proxy.empty())
		return {};

	Result<GoUrl> u = parseGoUrl(proxy);
	if (!u || (u->scheme != "http" && u->scheme != "https" && u->scheme != "socks5")) {
		// Bogus: try with "http://" in front, else the original error.
		std::string prefixed = "http://" + proxy;
		if (parseGoUrl(prefixed))
			return prefixed;
	}
	if (!u)
		return {};
	if (u->scheme == "socks5") {
		// The scheme is the leading letters up to the first ':'.
		return "socks5h" + proxy.substr(proxy.find(':'));
	}
	return proxy;
}

// config.useProxy: addr is always canonicalAddr's host:port.
bool useProxy(const Matchers &matchers, std::string_view addr)
{
	if (addr.empty())
		return true;
	const std::optional<HostPort> hp = splitHostPort(addr);
	if (!hp)
		return false;
	if (hp->host == "localhost")
		return false;
	const std::optional<Ip> ip = parseIp(hp->host);
	if (ip && isLoopback(*ip))
		return false;

	const std::string host = asciiLower(go::trimSpace(hp->host));
	if (ip) {
		for (const Matcher &m : matchers.ip) {
			if (m.match(host, hp->port, ip))
				return false;
		}
	}
	for (const Matcher &m : matchers.domain) {
		if (m.match(host, hp->port, ip))
			return false;
	}
	return true;
}

} // namespace

std::string proxyForUrl(const ProxyConfig &cfg, std::string_view url)
{
	Result<GoUrl> req = parseGoUrl(url);
	if (!req)
		return {};

	std::string proxy;
	if (req->scheme == "https")
		proxy = parseProxy(cfg.httpsProxy);
	else if (req->scheme == "http")
		proxy = parseProxy(cfg.httpProxy);
	if (proxy.empty())
		return {};

	// canonicalAddr. socks5's default port cannot apply: only http and
	// https requests get this far.
	const HostPort hp = urlHostPort(req->host);
	std::string_view port = hp.port;
	if (port.empty())
		port = req->scheme == "https" ? "443" : "80";
	if (!useProxy(parseNoProxy(cfg.noProxy), joinHostPort(hp.host, port)))
		return {};
	return proxy;
}

} // namespace flint::fetch
