// Hints for inputs that are not Ignition v3 configs: a cheap look at the first
// bytes, no JSON or YAML parser.
#include "detect.h"

#include <cstddef>
#include <optional>

#include "flint/config/version.h"

namespace flint::config {

namespace {

// How much of the input is examined.
constexpr std::size_t kScanLimit = 16 * 1024;

bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trimSpace(std::string_view s)
{
	while (!s.empty() && isSpace(s.front()))
		s.remove_prefix(1);
	while (!s.empty() && isSpace(s.back()))
		s.remove_suffix(1);
	return s;
}

// The value of a top-level (unindented) YAML key `key:` on a line of its own,
// quotes stripped; nullopt when there is no such line.
std::optional<std::string_view> yamlTopLevelValue(std::string_view text, std::string_view key)
{
	std::size_t pos = 0;
	while (pos < text.size()) {
		std::size_t eol = text.find('\n', pos);
		if (eol == std::string_view::npos)
			eol = text.size();
		std::string_view line = text.substr(pos, eol - pos);
		pos = eol + 1;

		if (!line.starts_with(key))
			continue;
		line.remove_prefix(key.size());
		if (line.empty() || line.front() != ':')
			continue;
		line.remove_prefix(1);
		if (std::size_t hash = line.find(" #"); hash != std::string_view::npos)
			line = line.substr(0, hash);
		line = trimSpace(line);
		if (line.size() >= 2 && (line.front() == '"' || line.front() == '\'') &&
		    line.back() == line.front())
			line = line.substr(1, line.size() - 2);
		return line;
	}
	return std::nullopt;
}

// Skips JSON whitespace from `pos`.
std::size_t skipSpace(std::string_view s, std::size_t pos)
{
	while (pos < s.size() && isSpace(s[pos]))
		pos++;
	return pos;
}

// The string value of the first `"key": "..."` member in `json` (no escapes
// handled: versions have none), or nullopt.
std::optional<std::string_view> jsonStringMember(std::string_view json, std::string_view key)
{
	std::string quoted = "\"" + std::string(key) + "\"";
	std::size_t pos = 0;
	while ((pos = json.find(quoted, pos)) != std::string_view::npos) {
		pos = skipSpace(json, pos + quoted.size());
		if (pos >= json.size() || json[pos] != ':')
			continue;
		pos = skipSpace(json, pos + 1);
		if (pos >= json.size() || json[pos] != '"')
			continue;
		std::size_t end = json.find('"', pos + 1);
		if (end == std::string_view::npos)
			return std::nullopt;
		return json.substr(pos + 1, end - pos - 1);
	}
	return std::nullopt;
}

std::string specTwoHint(std::string_view what)
{
	return std::string(what) + "; spec 1.x and 2.x configs are not supported, only " +
	       supportedRangeText() +
	       ": convert it (e.g. with the ign-converter tool or by rewriting it for spec 3)";
}

// A JSON object: only spec 1/2 versions are worth a hint.
std::string jsonHint(std::string_view json)
{
	// Spec 1 had a top-level integer "ignitionVersion".
	if (json.find("\"ignitionVersion\"") != std::string_view::npos)
		return specTwoHint("this is an Ignition spec 1 config (\"ignitionVersion\")");

	std::size_t ignition = json.find("\"ignition\"");
	if (ignition == std::string_view::npos)
		return {};
	std::optional<std::string_view> version = jsonStringMember(json.substr(ignition), "version");
	if (!version || version->size() < 2 || (*version)[1] != '.' ||
	    ((*version)[0] != '1' && (*version)[0] != '2'))
		return {};
	return specTwoHint("this is an Ignition spec " + std::string(version->substr(0, 1)) +
			   ".x config (version \"" + std::string(*version) + "\")");
}

std::string butaneHint(std::string_view text)
{
	std::optional<std::string_view> variant = yamlTopLevelValue(text, "variant");
	std::optional<std::string_view> version = yamlTopLevelValue(text, "version");
	if (!variant && !version)
		return {};

	std::string seen;
	if (variant)
		seen = "variant: " + std::string(*variant);
	if (version) {
		if (!seen.empty())
			seen += ", ";
		seen += "version: " + std::string(*version);
	}
	return "this looks like a Butane config (" + seen +
	       "); Ignition configs are JSON: translate it first with "
	       "`butane --pretty --strict config.bu > config.ign`";
}

} // namespace

std::string detectForeignFormat(std::string_view raw)
{
	std::string_view text = raw.substr(0, kScanLimit);

	if (text.starts_with("\xEF\xBB\xBF"))
		return "the file starts with a UTF-8 byte order mark; remove it";

	std::size_t start = skipSpace(text, 0);
	if (start == text.size())
		return {}; // empty: Ignition's own error says so
	text.remove_prefix(start);

	if (text.front() == '{')
		return jsonHint(text);

	std::string_view firstLine = text.substr(0, text.find('\n'));
	if (trimSpace(firstLine) == "#cloud-config")
		return "this is a cloud-init config (#cloud-config); Flint, like Ignition, does not read "
		       "cloud-init configs: write an Ignition config (or a Butane config translated "
		       "with butane) instead";

	if (std::string hint = butaneHint(text); !hint.empty())
		return hint;

	return "not JSON: an Ignition config is a JSON object";
}

} // namespace flint::config
