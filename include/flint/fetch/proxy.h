// Choosing the proxy for a request exactly as Ignition does (Go's
// golang.org/x/net/http/httpproxy with the config's values only).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flint::fetch {

// ignition.proxy.
struct ProxyConfig {
	std::string httpProxy;
	std::string httpsProxy;
	std::vector<std::string> noProxy;
};

// The proxy URL to use for `url`, or "" to connect directly. https URLs use
// only httpsProxy, http URLs only httpProxy, other schemes never a proxy;
// "localhost" and loopback addresses are never proxied; noProxy entries
// match as Go's httpproxy matches them (docs/fetching.md).
std::string proxyForUrl(const ProxyConfig &cfg, std::string_view url);

} // namespace flint::fetch
