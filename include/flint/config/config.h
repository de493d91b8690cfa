// The config engine's entry points: bytes in, config and report out. Pure: no
// system calls, no logging.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "flint/config/report.h"
#include "flint/config/types.h"
#include "flint/config/version.h"

namespace flint::config {

// Why a config could not be used; the text is Ignition's error string.
enum class ParseError {
	Empty,            // "not a config (empty)"
	Invalid,          // "config is not valid"
	InvalidVersion,   // "invalid config version (couldn't parse)"
	UnknownVersion,   // "unsupported config version"
};

std::string_view parseErrorText(ParseError e);

struct ParseResult {
	// The config translated to the latest spec; set when `error` is not.
	std::optional<Config> config;
	// The version the input declared, when it could be read.
	std::optional<Version> declaredVersion;
	Report report;
	std::optional<ParseError> error;
	// Beyond Ignition: what the input looks like when it is not an Ignition
	// v3 config (Butane YAML, cloud-config, spec 2.x, not JSON) and what to do
	// instead. Empty otherwise.
	std::string hint;
};

// Parses and validates `raw` at the version it declares, then translates it to
// the latest spec (as Ignition's config.Parse does).
ParseResult parse(std::string_view raw);

// {"ignition":{"version":<latest>}}
Config emptyConfig();

// Ignition's config/merge: the child wins, keyed lists merge in parent order,
// cross-list keys remove the parent entry, a nil header value deletes.
Config merge(const Config &parent, const Config &child);
// The same, taking the child's parts where the parent has none instead of
// copying them (a stage merging an empty base under a large config).
Config merge(const Config &parent, Config &&child);

// Re-validation of a merged or translated config (no input bytes, so no
// positions and no unused keys), as Ignition does after merging.
Report validate(const Config &cfg);

// The config as Ignition's cache (/run/ignition.json) holds it: Go's
// json.Marshal of the latest types with omitempty. With a non-empty indent,
// as json.MarshalIndent (used for "Full config:").
std::string toJson(const Config &cfg, std::string_view indent = {});

} // namespace flint::config
