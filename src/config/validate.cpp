// Validation entry points and the checks shared by every section: paths,
// URLs, resources, modes.
#include "validate_internal.h"

#include "flint/base/dataurl.h"
#include "flint/base/go.h"
#include "flint/base/url.h"
#include "flint/config/config.h"
#include "parse_internal.h"

namespace flint::config {

namespace detail {

bool nilOrEmpty(const OptString &s) { return !s || s->empty(); }
bool isTrue(const OptBool &b) { return b && *b; }
bool isFalse(const OptBool &b) { return b && !*b; }

std::string checkPath(std::string_view p)
{
	if (p.empty())
		return "path not specified";
	if (!go::pathIsAbs(p))
		return "path not absolute";
	if (go::pathClean(p) != p)
		return "path is not fully simplified";
	return {};
}

std::string checkPathOptional(const OptString &p)
{
	return nilOrEmpty(p) ? std::string() : checkPath(*p);
}

namespace {

bool hasQueryKey(const GoUrl &u, std::string_view key, bool &emptyFirst)
{
	bool found = false;
	for (const auto &[k, v] : parseGoQuery(u.rawQuery)) {
		if (k != key)
			continue;
		if (!found)
			emptyFirst = v.empty();
		found = true;
	}
	return found;
}

std::string checkVersionId(const GoUrl &u)
{
	bool emptyFirst = false;
	if (hasQueryKey(u, "versionId", emptyFirst) && emptyFirst)
		return "invalid S3 object VersionId";
	return {};
}

// arn:<partition>:s3:<region>:<account>:<resource> (spec 3.4+).
std::string checkArn(const GoUrl &u)
{
	std::string full = "arn:" + u.opaque;
	std::vector<std::string_view> parts;
	std::string_view rest = full;
	for (int i = 0; i < 5; i++) {
		auto colon = rest.find(':');
		if (colon == std::string_view::npos)
			return "invalid S3 ARN format";
		parts.push_back(rest.substr(0, colon));
		rest.remove_prefix(colon + 1);
	}
	parts.push_back(rest);
	if (parts[2] != "s3")
		return "invalid S3 ARN format";
	std::size_t slashes = 0;
	for (char ch : full)
		slashes += ch == '/';
	bool accessPoint = parts[5].substr(0, 12) == "accesspoint/";
	if ((accessPoint && slashes < 2) || slashes < 1)
		return "invalid S3 ARN format";
	return checkVersionId(u);
}

} // namespace

std::string checkUrl(std::string_view url, Spec spec)
{
	auto u = parseGoUrl(url);
	if (!u)
		return "unable to parse url";
	const std::string &scheme = u->scheme;
	if (scheme == "http" || scheme == "https" || scheme == "tftp")
		return {};
	if (scheme == "gs" && spec >= Spec::V3_2)
		return {};
	if (scheme == "s3")
		return checkVersionId(*u);
	if (scheme == "arn" && spec >= Spec::V3_4)
		return checkArn(*u);
	if (scheme == "data") {
		if (Result<void> d = checkDataUrl(url); !d)
			return d.error().message();
		return {};
	}
	return "invalid url scheme";
}

std::string checkUrlOptional(const OptString &url, Spec spec)
{
	return nilOrEmpty(url) ? std::string() : checkUrl(*url, spec);
}

std::string checkRequiredSource(const OptString &source, Spec spec)
{
	if (nilOrEmpty(source))
		return "source is required";
	return checkUrl(*source, spec);
}

namespace {

void validateVerification(Ctx &c, const Verification &v)
{
	if (!v.hash)
		return;
	const std::string &h = *v.hash;
	auto dash = h.find('-');
	if (dash == std::string::npos) {
		c.error({ K("hash") }, "malformed hash specifier");
		return;
	}
	std::string_view fn(h.data(), dash);
	std::size_t sum = h.size() - dash - 1;
	std::size_t want = 0;
	if (fn == "sha512")
		want = 128;
	else if (fn == "sha256" && c.atLeast(Spec::V3_1))
		want = 64;
	else {
		c.error({ K("hash") }, "unrecognized hash function");
		return;
	}
	if (sum != want)
		c.error({ K("hash") }, "incorrect size for hash sum");
}

void validateHeader(Ctx &c, const HttpHeader &h)
{
	if (h.name.empty())
		c.error({ K("name") }, "HTTP header name can't be empty");
	if (h.value && h.value->empty())
		c.error({ K("value") }, "unable to parse HTTP header");
}

} // namespace

void validateResource(Ctx &c, const Resource &r, ResourceKind kind)
{
	// Spec 3.0 had three narrower types in place of Resource.
	if (!c.atLeast(Spec::V3_1) && kind == ResourceKind::CaReference) {
		c.errorIf({ K("source") }, checkUrl(r.source.value_or(""), c.spec()));
	} else if (!c.atLeast(Spec::V3_1) && kind == ResourceKind::ConfigReference) {
		c.errorIf({ K("source") }, checkUrlOptional(r.source, c.spec()));
	} else {
		if (r.compression && !r.compression->empty() && *r.compression != "gzip")
			c.error({ K("compression") }, "invalid compression method");
		if (r.verification.hash && !r.source)
			c.error({ K("verification"), K("hash") }, "source must be specified if verification is specified");
		c.errorIf({ K("source") }, checkUrlOptional(r.source, c.spec()));
		if (c.atLeast(Spec::V3_1) && !r.httpHeaders.empty()) {
			std::string err;
			auto u = nilOrEmpty(r.source) ? Result<GoUrl>(unexpected("")) : parseGoUrl(*r.source);
			if (!u)
				err = "unable to parse url";
			else if (u->scheme != "http" && u->scheme != "https")
				err = "cannot use HTTP headers with this source scheme";
			c.errorIf({ K("httpHeaders") }, err);
		}
	}
	{
		auto s = c.enter("httpHeaders");
		for (std::size_t i = 0; i < r.httpHeaders.size(); i++) {
			auto si = c.enter(i);
			validateHeader(c, r.httpHeaders[i]);
		}
	}
	auto s = c.enter("verification");
	validateVerification(c, r.verification);
}

void validateMode(Ctx &c, const OptInt &mode)
{
	if (!mode)
		return;
	if (*mode < 0 || *mode > 07777)
		c.error({ K("mode") }, "illegal file mode");
	if (!c.atLeast(Spec::V3_6) && (static_cast<std::uint32_t>(*mode) & 07000) != 0)
		c.warning({ K("mode") },
			  "setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0");
}

} // namespace detail

// Declared in parse_internal.h.
void validateAt(Spec spec, const Config &cfg, Report &report, bool duplicates)
{
	detail::Ctx c(spec, report);
	detail::validateCrossSection(c, cfg);
	{
		auto s = c.enter("ignition");
		detail::validateIgnition(c, cfg.ignition);
	}
	if (spec >= Spec::V3_3) {
		auto s = c.enter("kernelArguments");
		detail::validateKernelArguments(c, cfg.kernelArguments);
	}
	{
		auto s = c.enter("passwd");
		detail::validatePasswd(c, cfg.passwd);
	}
	{
		auto s = c.enter("storage");
		detail::validateStorage(c, cfg.storage);
	}
	{
		auto s = c.enter("systemd");
		detail::validateSystemd(c, cfg.systemd);
	}
	if (duplicates)
		detail::validateDuplicates(c, cfg);
}

Report validate(const Config &cfg)
{
	// As Ignition's engine: vcontext's plain Validate, without the duplicate
	// check that parsing adds.
	Report r;
	validateAt(kLatestSpec, cfg, r, false);
	return r;
}

} // namespace flint::config
