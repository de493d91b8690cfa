// Spec versions: go-semver parsing and the versions Flint accepts.
#include "flint/config/version.h"

#include <array>
#include <charconv>
#include <cstdint>

namespace flint::config {

namespace {

// go-semver's reIdentifier: ^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$
bool validIdentifier(std::string_view id)
{
	if (id.empty())
		return true;
	bool partEmpty = true;
	for (char c : id) {
		if (c == '.') {
			if (partEmpty)
				return false;
			partEmpty = true;
		} else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
			partEmpty = false;
		} else {
			return false;
		}
	}
	return !partEmpty;
}

// strconv.ParseInt(s, 10, 64), which accepts a leading sign.
std::optional<std::int64_t> parseGoInt(std::string_view s)
{
	if (!s.empty() && s[0] == '+')
		s.remove_prefix(1);
	if (s.empty())
		return std::nullopt;
	std::int64_t v = 0;
	auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
	if (ec != std::errc() || p != s.data() + s.size())
		return std::nullopt;
	return v;
}

struct SpecInfo {
	Spec spec;
	int minor;
	const char *pre;
};

constexpr std::array<SpecInfo, 8> kSpecs = { {
	{ Spec::V3_0, 0, "" },
	{ Spec::V3_1, 1, "" },
	{ Spec::V3_2, 2, "" },
	{ Spec::V3_3, 3, "" },
	{ Spec::V3_4, 4, "" },
	{ Spec::V3_5, 5, "" },
	{ Spec::V3_6, 6, "" },
	{ Spec::V3_7_Exp, 7, "experimental" },
} };

} // namespace

std::optional<Version> Version::parse(std::string_view s)
{
	// go-semver Version.Set: split off "+metadata", then "-prerelease", then
	// exactly three dotted integers.
	std::string_view metadata;
	if (auto i = s.find('+'); i != std::string_view::npos) {
		metadata = s.substr(i + 1);
		s = s.substr(0, i);
	}
	std::string_view pre;
	if (auto i = s.find('-'); i != std::string_view::npos) {
		pre = s.substr(i + 1);
		s = s.substr(0, i);
	}
	std::array<std::string_view, 3> parts;
	for (int i = 0; i < 2; i++) {
		auto dot = s.find('.');
		if (dot == std::string_view::npos)
			return std::nullopt;
		parts[i] = s.substr(0, dot);
		s = s.substr(dot + 1);
	}
	parts[2] = s;
	if (!validIdentifier(pre) || !validIdentifier(metadata))
		return std::nullopt;
	Version v;
	auto a = parseGoInt(parts[0]), b = parseGoInt(parts[1]), c = parseGoInt(parts[2]);
	if (!a || !b || !c)
		return std::nullopt;
	v.major = static_cast<int>(*a);
	v.minor = static_cast<int>(*b);
	v.patch = static_cast<int>(*c);
	if (*a != v.major || *b != v.minor || *c != v.patch)
		return std::nullopt;
	v.preRelease = std::string(pre);
	v.metadata = std::string(metadata);
	return v;
}

std::string Version::toString() const
{
	std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
	if (!preRelease.empty())
		s += "-" + preRelease;
	if (!metadata.empty())
		s += "+" + metadata;
	return s;
}

Version specVersion(Spec s)
{
	for (const auto &info : kSpecs)
		if (info.spec == s)
			return Version{ 3, info.minor, 0, info.pre, {} };
	return {};
}

std::optional<Spec> specFromVersion(const Version &v)
{
	// Ignition compares the whole semver struct, metadata included.
	for (const auto &info : kSpecs)
		if (v == Version{ 3, info.minor, 0, info.pre, {} })
			return info.spec;
	return std::nullopt;
}

std::string supportedRangeText()
{
	return specVersion(Spec::V3_0).toString() + " to " + specVersion(kLatestStableSpec).toString() +
	       " (and " + specVersion(kLatestSpec).toString() + ")";
}

} // namespace flint::config
