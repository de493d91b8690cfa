// Ignition config spec versions: the ones Flint accepts and how to compare them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flint::config {

// A semantic version as github.com/coreos/go-semver parses it.
struct Version {
	int major = 0;
	int minor = 0;
	int patch = 0;
	std::string preRelease;
	std::string metadata;

	static std::optional<Version> parse(std::string_view s);
	std::string toString() const;
	bool operator==(const Version &) const = default;
};

// The spec versions Flint accepts, oldest first; each is accepted exactly.
enum class Spec { V3_0, V3_1, V3_2, V3_3, V3_4, V3_5, V3_6, V3_7_Exp };

inline constexpr Spec kLatestSpec = Spec::V3_7_Exp;
inline constexpr Spec kLatestStableSpec = Spec::V3_6;

Version specVersion(Spec s);
std::optional<Spec> specFromVersion(const Version &v);
// "3.0.0 to 3.6.0 (and 3.7.0-experimental)"
std::string supportedRangeText();

} // namespace flint::config
