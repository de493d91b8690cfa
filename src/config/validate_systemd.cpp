// Validation of systemd units and drop-ins, and the checks that look across
// sections.
#include "validate_internal.h"

#include <set>

#include "flint/base/go.h"
#include "flint/base/unit_file.h"

namespace flint::config::detail {

namespace {

// Go's %q for the ASCII names units have; other bytes are escaped.
std::string goQuote(std::string_view s)
{
	static const char kHex[] = "0123456789abcdef";
	std::string out = "\"";
	for (unsigned char ch : s) {
		if (ch == '"' || ch == '\\') {
			out += '\\';
			out += static_cast<char>(ch);
		} else if (ch < 0x20 || ch == 0x7f) {
			out += "\\x";
			out += kHex[ch >> 4];
			out += kHex[ch & 15];
		} else {
			out += static_cast<char>(ch);
		}
	}
	return out + "\"";
}

// Parses unit contents; returns false (and reports) when they do not parse.
bool checkContents(Ctx &c, const OptString &contents, bool &hasInstall)
{
	hasInstall = false;
	if (!contents)
		return true;
	auto opts = parseUnitFile(*contents);
	if (!opts) {
		c.error({ K("contents") }, "invalid unit content: " + opts.error().message());
		return false;
	}
	for (const auto &o : *opts)
		if (o.section == "Install")
			hasInstall = true;
	return true;
}

void validateUnit(Ctx &c, const Unit &u)
{
	std::string_view ext = go::pathExt(u.name);
	static const std::set<std::string_view> kExts = { ".service", ".socket", ".device", ".mount",
							  ".automount", ".swap", ".target", ".path",
							  ".timer", ".snapshot", ".slice", ".scope" };
	if (!kExts.count(ext))
		c.error({ K("name") }, "invalid systemd unit extension");
	bool hasInstall = false;
	bool parsed = checkContents(c, u.contents, hasInstall);
	if (isTrue(u.enabled) && !nilOrEmpty(u.contents) && parsed && !hasInstall)
		c.warning({ K("contents") },
			  "unit " + goQuote(u.name) + " is enabled, but has no install section so enable does nothing");
	auto s = c.enter("dropins");
	for (std::size_t i = 0; i < u.dropins.size(); i++) {
		auto si = c.enter(i);
		const Dropin &d = u.dropins[i];
		bool unused = false;
		checkContents(c, d.contents, unused);
		if (go::pathExt(d.name) != ".conf")
			c.error({ K("name") }, "invalid systemd drop-in extension");
	}
}

} // namespace

void validateSystemd(Ctx &c, const Systemd &s)
{
	auto su = c.enter("units");
	for (std::size_t i = 0; i < s.units.size(); i++) {
		auto si = c.enter(i);
		validateUnit(c, s.units[i]);
	}
}

void validateCrossSection(Ctx &c, const Config &cfg)
{
	// Upstream 2.15+ (spec 3.4.0 on): a file, directory or link must not be
	// written where a unit or drop-in with contents will be.
	if (!c.atLeast(Spec::V3_4))
		return;
	const std::string dir = "/etc/systemd/system/";
	std::set<std::string> unitPaths;
	for (const auto &u : cfg.systemd.units) {
		if (!nilOrEmpty(u.contents))
			unitPaths.insert(dir + u.name);
		for (const auto &d : u.dropins)
			if (!nilOrEmpty(d.contents))
				unitPaths.insert(dir + u.name + ".d/" + d.name);
	}
	if (unitPaths.empty())
		return;
	const auto &st = cfg.storage;
	for (std::size_t i = 0; i < st.files.size(); i++)
		if (unitPaths.count(st.files[i].path))
			c.error({ K("storage"), K("files"), I(i), K("path") }, "path conflicts with systemd unit or dropin");
	for (std::size_t i = 0; i < st.directories.size(); i++)
		if (unitPaths.count(st.directories[i].path))
			c.error({ K("storage"), K("directories"), I(i), K("path") },
				"path conflicts with systemd unit or dropin");
	for (std::size_t i = 0; i < st.links.size(); i++)
		if (unitPaths.count(st.links[i].path))
			c.error({ K("storage"), K("links"), I(i), K("path") }, "path conflicts with systemd unit or dropin");
}

} // namespace flint::config::detail
