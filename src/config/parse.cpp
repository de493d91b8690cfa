// config::parse: Ignition's ParseCompatibleVersion chain. Syntax, then the
// version, then typed decoding, validation at the declared version, unused
// keys, positions, and translation to the latest spec.
#include "flint/config/config.h"

#include "decode.h"
#include "detect.h"
#include "parse_internal.h"

namespace flint::config {

namespace {

// vcontext's getDeepestNode: the node at `path`, or its deepest existing
// ancestor. Object keys match exactly (a Go map keeps the last duplicate).
const json::Value &deepestNode(const json::Value &root, const Path &path)
{
	const json::Value *node = &root;
	for (const auto &e : path) {
		const json::Value *next = nullptr;
		if (e.isIndex()) {
			if (node->kind == json::Kind::Array && static_cast<std::size_t>(e.index) < node->items.size())
				next = &node->items[e.index];
		} else if (node->kind == json::Kind::Object) {
			next = node->find(e.key);
		}
		if (!next)
			break;
		node = next;
	}
	return *node;
}

void correlate(Report &report, const json::Value &root, const json::LineIndex &lines)
{
	for (auto &e : report.entries()) {
		if (e.hasMarker)
			continue;
		auto lc = lines.at(deepestNode(root, e.path).marker);
		e.hasMarker = true;
		e.line = lc.line;
		e.col = lc.col;
	}
}

void addPositioned(Report &report, std::string message, std::size_t offset, const json::LineIndex &lines)
{
	report.addError({}, std::move(message));
	auto &e = report.entries().back();
	auto lc = lines.at(offset);
	e.hasMarker = true;
	e.line = lc.line;
	e.col = lc.col;
}

ParseResult fail(ParseResult r, ParseError e, std::string_view raw)
{
	r.error = e;
	r.hint = detectForeignFormat(raw);
	return r;
}

// Why a well-formed version is refused and what would be accepted.
std::string unsupportedVersionHint(const Version &v)
{
	std::string text = "config version " + v.toString() + " is not supported; Flint accepts " + supportedRangeText();
	if (!v.metadata.empty()) {
		Version plain = v;
		plain.metadata.clear();
		if (specFromVersion(plain))
			return text + " (drop the build metadata: \"" + plain.toString() + "\")";
		return text;
	}
	if (!v.preRelease.empty()) {
		Version release{ v.major, v.minor, v.patch, {}, {} };
		if (specFromVersion(release))
			return text + "; " + v.toString() + " was a draft of " + release.toString() + ", which differs from it: " +
			       "declare \"" + release.toString() + "\" and check the config against that spec";
		return text;
	}
	if (v.major > 3 || (v.major == 3 && specVersion(kLatestSpec).minor <= v.minor))
		return text + "; this config is newer than this build of Flint";
	return text;
}

} // namespace

std::string_view parseErrorText(ParseError e)
{
	switch (e) {
	case ParseError::Empty:
		return "not a config (empty)";
	case ParseError::Invalid:
		return "config is not valid";
	case ParseError::InvalidVersion:
		return "invalid config version (couldn't parse)";
	case ParseError::UnknownVersion:
		return "unsupported config version";
	}
	return "config is not valid";
}

ParseResult parse(std::string_view raw)
{
	ParseResult res;
	if (raw.empty())
		return fail(std::move(res), ParseError::Empty, raw);

	json::LineIndex lines(raw);
	auto doc = json::parse(raw);
	if (doc.error) {
		addPositioned(res.report, doc.error->message, doc.error->offset, lines);
		return fail(std::move(res), ParseError::Invalid, raw);
	}
	json::Value &root = *doc.value;

	auto stub = detail::decodeVersionStub(root);
	if (stub.error) {
		addPositioned(res.report, stub.error->message, stub.error->offset, lines);
		return fail(std::move(res), ParseError::Invalid, raw);
	}
	auto version = Version::parse(stub.version);
	if (!version)
		return fail(std::move(res), ParseError::InvalidVersion, raw);
	res.declaredVersion = *version;
	auto spec = specFromVersion(*version);
	if (!spec) {
		res = fail(std::move(res), ParseError::UnknownVersion, raw);
		if (res.hint.empty())
			res.hint = unsupportedVersionHint(*version);
		return res;
	}

	auto decoded = detail::decodeConfig(root, *spec);
	if (decoded.error) {
		addPositioned(res.report, decoded.error->message, decoded.error->offset, lines);
		return fail(std::move(res), ParseError::Invalid, raw);
	}

	validateAt(*spec, decoded.config, res.report, true);
	detail::reportUnusedKeys(root, *spec, lines, res.report);
	correlate(res.report, root, lines);
	if (res.report.isFatal())
		return fail(std::move(res), ParseError::Invalid, raw);

	res.config = translateToLatest(std::move(decoded.config), *spec);
	return res;
}

} // namespace flint::config
