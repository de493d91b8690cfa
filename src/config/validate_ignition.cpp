// Validation of the ignition section (version, config references, TLS, proxy)
// and of kernel arguments.
#include "validate_internal.h"

#include "flint/base/url.h"

namespace flint::config::detail {

namespace {

void validateProxyUrl(Ctx &c, std::string_view field, const OptString &s, bool httpOk)
{
	if (!s)
		return;
	auto u = parseGoUrl(*s);
	if (!u) {
		c.error({ K(field) }, "unable to parse url");
		return;
	}
	if (u->scheme != "https" && u->scheme != "http") {
		c.error({ K(field) }, "proxies must be http(s)");
		return;
	}
	if (u->scheme == "http" && !httpOk)
		c.warning({ K(field) }, "insecure plaintext HTTP proxy specified for HTTPS resources");
}

} // namespace

void validateIgnition(Ctx &c, const Ignition &ign)
{
	if (auto v = Version::parse(ign.version); !v)
		c.error({ K("version") }, "invalid config version (couldn't parse)");
	else if (specFromVersion(*v) != c.spec())
		c.error({ K("version") }, "unsupported config version");

	{
		auto s = c.enter("config");
		if (c.atLeast(Spec::V3_1))
			for (std::size_t i = 0; i < ign.config.merge.size(); i++)
				c.errorIf({ K("merge"), I(i) }, checkRequiredSource(ign.config.merge[i].source, c.spec()));
		{
			auto sm = c.enter("merge");
			for (std::size_t i = 0; i < ign.config.merge.size(); i++) {
				auto si = c.enter(i);
				validateResource(c, ign.config.merge[i], ResourceKind::ConfigReference);
			}
		}
		auto sr = c.enter("replace");
		validateResource(c, ign.config.replace, ResourceKind::ConfigReference);
	}
	if (c.atLeast(Spec::V3_1)) {
		auto s = c.enter("proxy");
		validateProxyUrl(c, "httpProxy", ign.proxy.httpProxy, true);
		validateProxyUrl(c, "httpsProxy", ign.proxy.httpsProxy, false);
	}
	auto s = c.enter("security");
	auto st = c.enter("tls");
	const auto &cas = ign.security.tls.certificateAuthorities;
	if (c.atLeast(Spec::V3_1))
		for (std::size_t i = 0; i < cas.size(); i++)
			c.errorIf({ K("certificateAuthorities"), I(i) }, checkRequiredSource(cas[i].source, c.spec()));
	auto sc = c.enter("certificateAuthorities");
	for (std::size_t i = 0; i < cas.size(); i++) {
		auto si = c.enter(i);
		validateResource(c, cas[i], ResourceKind::CaReference);
	}
}

void validateKernelArguments(Ctx &, const KernelArguments &)
{
	// Kernel arguments have no rules beyond duplicates (dups.cpp).
}

} // namespace flint::config::detail
