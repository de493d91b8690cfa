// Unit tests for proxy selection against golang.org/x/net/http/httpproxy.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "flint/fetch/proxy.h"

namespace flint::fetch {
namespace {

// Every expected value below was printed by a Go 1.19.8 program calling
// (&httpproxy.Config{HTTPProxy, HTTPSProxy, NoProxy: strings.Join(noProxy,
// ",")}).ProxyFunc() on url.Parse(url), as Ignition's
// proxyFuncFromIgnitionConfig does (httpproxy as vendored in Go 1.19, the
// same code as the x/net Ignition 2.14 pins). Go's answer is a *url.URL;
// the table holds the string Flint hands to libcurl instead: the value as
// written (or "http://" + it where Go prepends that), and socks5h:// where
// Go has socks5, since Go's SOCKS dialer lets the proxy resolve the name.
struct ProxyCase {
	std::string_view name;
	std::string_view httpProxy;
	std::string_view httpsProxy;
	std::vector<std::string> noProxy;
	std::string_view url;
	std::string_view want; // "" = direct
};

constexpr std::string_view kHttp = "http://hp:3128";
constexpr std::string_view kHttps = "http://sp:3129";

const std::vector<ProxyCase> kProxyCases = {
	{ "HttpUsesHttpProxy", kHttp, kHttps, {}, "http://example.com/", kHttp },
	{ "HttpsUsesHttpsProxy", kHttp, kHttps, {}, "https://example.com/", kHttps },
	{ "HttpsIgnoresHttpProxy", kHttp, "", {}, "https://example.com/", "" },
	{ "HttpIgnoresHttpsProxy", "", kHttps, {}, "http://example.com/", "" },
	{ "UppercaseSchemeIsHttps", kHttp, kHttps, {}, "HTTPS://example.com/", kHttps },
	{ "TftpNeverProxied", kHttp, kHttps, {}, "tftp://example.com/config.ign", "" },
	{ "S3NeverProxied", kHttp, kHttps, {}, "s3://bucket/key", "" },
	{ "NoProxyConfigured", "", "", {}, "http://example.com/", "" },
	{ "UnparsableRequestUrl", kHttp, kHttps, {}, "http://a b/", "" },
	{ "ProxyHostPortWithoutScheme", "proxy:3128", "", {}, "http://example.com/", "http://proxy:3128" },
	{ "ProxyBareHostWithoutScheme", "proxy.example.com", "", {}, "http://example.com/", "http://proxy.example.com" },
	{ "ProxyIpPortWithoutScheme", "10.0.0.1:3128", "", {}, "http://example.com/", "http://10.0.0.1:3128" },
	{ "ProxyBracketedIpv6WithoutScheme", "[fd00::1]:3128", "", {}, "http://example.com/", "http://[fd00::1]:3128" },
	{ "ProxyUnknownSchemeGetsHttpPrefix", "ftp://proxy", "", {}, "http://example.com/", "http://ftp://proxy" },
	{ "ProxyUnparsableIgnored", "%zz", "", {}, "http://example.com/", "" },
	{ "ProxyHttpsSchemeKept", "", "https://sp:443", {}, "https://example.com/", "https://sp:443" },
	{ "ProxyUppercaseSchemeKept", "HTTP://Proxy:3128", "", {}, "http://example.com/", "HTTP://Proxy:3128" },
	{ "ProxyUserinfoKept", "http://user:p%40ss@proxy:8080", "", {}, "http://example.com/", "http://user:p%40ss@proxy:8080" },
	{ "ProxySocks5ResolvesRemotely", "socks5://s:1080", "", {}, "http://example.com/", "socks5h://s:1080" },
	{ "ProxySocks4GetsHttpPrefix", "socks4://s:1080", "", {}, "http://example.com/", "http://socks4://s:1080" },
	{ "Localhost", kHttp, kHttps, {}, "http://localhost/", "" },
	{ "LocalhostWithPort", kHttp, kHttps, {}, "https://localhost:8443/", "" },
	{ "LocalhostUppercaseIsProxied", kHttp, kHttps, {}, "http://LOCALHOST/", kHttp },
	{ "LocalhostSubdomainIsProxied", kHttp, kHttps, {}, "http://localhost.localdomain/", kHttp },
	{ "Loopback127_0_0_5", kHttp, kHttps, {}, "http://127.0.0.5/", "" },
	{ "Loopback127WithPort", kHttp, kHttps, {}, "http://127.0.0.1:8080/", "" },
	{ "LoopbackIpv6", kHttp, kHttps, {}, "http://[::1]/", "" },
	{ "LoopbackIpv6Expanded", kHttp, kHttps, {}, "http://[0:0:0:0:0:0:0:1]:80/", "" },
	{ "LoopbackV4MappedIpv6", kHttp, kHttps, {}, "http://[::ffff:127.0.0.1]/", "" },
	{ "NotLoopback128", kHttp, kHttps, {}, "http://128.0.0.1/", kHttp },
	{ "StarDisablesAll", kHttp, kHttps, { "*" }, "https://example.com/", "" },
	{ "StarWithSpaces", kHttp, kHttps, { " * " }, "http://10.1.2.3/", "" },
	{ "StarAfterOtherEntries", kHttp, kHttps, { "foo.com", "*" }, "http://example.com/", "" },
	{ "DomainMatchesItself", kHttp, kHttps, { "foo.com" }, "http://foo.com/", "" },
	{ "DomainMatchesSubdomain", kHttp, kHttps, { "foo.com" }, "https://bar.foo.com/x", "" },
	{ "DomainDoesNotMatchSuffixOnly", kHttp, kHttps, { "foo.com" }, "http://xfoo.com/", kHttp },
	{ "DomainDoesNotMatchTrailingDot", kHttp, kHttps, { "foo.com" }, "http://foo.com./", kHttp },
	{ "DomainDoesNotMatchParent", kHttp, kHttps, { "bar.foo.com" }, "http://foo.com/", kHttp },
	{ "DotDomainSkipsItself", kHttp, kHttps, { ".foo.com" }, "http://foo.com/", kHttp },
	{ "DotDomainMatchesSubdomain", kHttp, kHttps, { ".foo.com" }, "http://a.b.foo.com/", "" },
	{ "StarDotDomainSkipsItself", kHttp, kHttps, { "*.foo.com" }, "https://foo.com/", kHttps },
	{ "StarDotDomainMatchesSubdomain", kHttp, kHttps, { "*.foo.com" }, "https://bar.foo.com/", "" },
	{ "StarWithoutDotIsLiteral", kHttp, kHttps, { "*foo.com" }, "http://bar.foo.com/", kHttp },
	{ "DomainCaseInsensitive", kHttp, kHttps, { "FOO.com" }, "http://bar.FOO.COM/", "" },
	{ "DomainTrimmed", kHttp, kHttps, { "\t foo.com \u00a0" }, "http://foo.com/", "" },
	{ "DomainPortMatches", kHttp, kHttps, { "foo.com:8080" }, "http://foo.com:8080/", "" },
	{ "DomainPortDiffers", kHttp, kHttps, { "foo.com:8080" }, "http://foo.com/", kHttp },
	{ "DomainPortMatchesDefaultHttps", kHttp, kHttps, { ".foo.com:443" }, "https://bar.foo.com/", "" },
	{ "DomainPortDefaultHttpIs80", kHttp, kHttps, { "foo.com:443" }, "http://foo.com/", kHttp },
	{ "DomainEmptyPortMatchesAny", kHttp, kHttps, { "foo.com:" }, "http://foo.com:1234/", "" },
	{ "DomainSuffixOfIpAddress", kHttp, kHttps, { "0.0.1" }, "http://10.0.0.1/", "" },
	{ "EntryWithCommaIsTwoEntries", kHttp, kHttps, { "a.com,b.com" }, "http://b.com/", "" },
	{ "SecondEntryMatches", kHttp, kHttps, { "a.com", "b.com" }, "http://www.b.com/", "" },
	{ "NoEntryMatches", kHttp, kHttps, { "a.com", "b.com", "10.0.0.0/8" }, "http://c.com/", kHttp },
	{ "EmptyEntriesIgnored", kHttp, kHttps, { "", " , " }, "http://c.com/", kHttp },
	{ "HostOnlyPortIgnored", kHttp, kHttps, { ":80" }, "http://example.com/", kHttp },
	{ "EmptyBracketsIgnored", kHttp, kHttps, { "[]:80" }, "http://example.com/", kHttp },
	{ "Cidr4Matches", kHttp, kHttps, { "10.0.0.0/8" }, "http://10.1.2.3:8080/", "" },
	{ "Cidr4DoesNotMatch", kHttp, kHttps, { "10.0.0.0/8" }, "http://11.0.0.1/", kHttp },
	{ "Cidr4HostBitsIgnored", kHttp, kHttps, { "192.168.1.77/24" }, "https://192.168.1.1/", "" },
	{ "Cidr4DoesNotMatchName", kHttp, kHttps, { "10.0.0.0/8" }, "http://ten.example/", kHttp },
	{ "Cidr4ZeroMatchesAllIpv4", kHttp, kHttps, { "0.0.0.0/0" }, "http://203.0.113.9/", "" },
	{ "Cidr4ZeroDoesNotMatchIpv6", kHttp, kHttps, { "0.0.0.0/0" }, "http://[2001:db8::1]/", kHttp },
	{ "Cidr4PrefixTooLongIsADomain", kHttp, kHttps, { "10.0.0.1/33" }, "http://10.0.0.1/", kHttp },
	{ "Cidr6Matches", kHttp, kHttps, { "2001:db8::/32" }, "https://[2001:db8:1::5]:8443/", "" },
	{ "Cidr6DoesNotMatch", kHttp, kHttps, { "2001:db8::/32" }, "https://[2001:db9::1]/", kHttps },
	{ "Cidr6ZeroDoesNotMatchIpv4", kHttp, kHttps, { "::/0" }, "http://10.0.0.1/", kHttp },
	{ "Cidr6V4MappedMatchesIpv4", kHttp, kHttps, { "::ffff:0:0/96" }, "http://10.0.0.1/", "" },
	{ "IpMatchesAnyPort", kHttp, kHttps, { "10.0.0.1" }, "http://10.0.0.1:8080/", "" },
	{ "IpDoesNotMatchOtherIp", kHttp, kHttps, { "10.0.0.1" }, "http://10.0.0.2/", kHttp },
	{ "IpPortMatches", kHttp, kHttps, { "10.0.0.1:8080" }, "http://10.0.0.1:8080/", "" },
	{ "IpPortDiffers", kHttp, kHttps, { "10.0.0.1:8080" }, "http://10.0.0.1/", kHttp },
	{ "IpMatchesV4MappedIpv6", kHttp, kHttps, { "10.0.0.1" }, "http://[::ffff:10.0.0.1]/", "" },
	{ "IpLeadingZeroIsADomain", kHttp, kHttps, { "010.0.0.1" }, "http://10.0.0.1/", kHttp },
	{ "IpLeadingZeroMatchesSameName", kHttp, kHttps, { "010.0.0.1" }, "http://010.0.0.1/", "" },
	{ "Ipv6Matches", kHttp, kHttps, { "::2" }, "http://[::2]:8080/", "" },
	{ "Ipv6MatchesOtherSpelling", kHttp, kHttps, { "0:0:0:0:0:0:0:2" }, "http://[::2]/", "" },
	{ "Ipv6LongZeroGroup", kHttp, kHttps, { "00001::2" }, "http://[1::2]/", "" },
	{ "Ipv6BracketedPortMatches", kHttp, kHttps, { "[::2]:80" }, "http://[::2]/", "" },
	{ "Ipv6BracketedPortDiffers", kHttp, kHttps, { "[::2]:80" }, "http://[::2]:8080/", kHttp },
	{ "Ipv6BracketsWithoutPortIsADomain", kHttp, kHttps, { "[::2]" }, "http://[::2]/", kHttp },
	{ "Ipv6ZoneIsNotAnIp", kHttp, kHttps, { "fe80::1" }, "http://[fe80::1%25eth0]/", kHttp },
};

TEST(Proxy, MatchesGoHttpproxy)
{
	for (const auto &c : kProxyCases) {
		SCOPED_TRACE(std::string(c.name) + ": " + std::string(c.url));
		const ProxyConfig cfg{ std::string(c.httpProxy), std::string(c.httpsProxy), c.noProxy };
		EXPECT_EQ(proxyForUrl(cfg, c.url), c.want);
	}
}

TEST(Proxy, EmptyConfigIsDirect)
{
	EXPECT_EQ(proxyForUrl(ProxyConfig{}, "http://example.com/"), "");
	EXPECT_EQ(proxyForUrl(ProxyConfig{}, "https://example.com/"), "");
}

} // namespace
} // namespace flint::fetch
