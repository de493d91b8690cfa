// Decoding a parsed JSON document into config types at one spec version, as
// Go's encoding/json does for that version's Ignition types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "flint/base/json.h"
#include "flint/config/report.h"
#include "flint/config/types.h"
#include "flint/config/version.h"

namespace flint::config::detail {

// Go's *json.UnmarshalTypeError: only the first one is kept, as Go does.
struct TypeError {
	std::string message;
	std::size_t offset = 0;
};

// Ignition's util.GetConfigVersion: decodes {"ignition":{"version":...}} into
// an untyped stub. Returns the version string (empty if absent).
struct VersionStub {
	std::string version;
	std::optional<TypeError> error;
};
// Reads `root` without changing it (non-const only to share the decoder).
VersionStub decodeVersionStub(json::Value &root);

struct Decoded {
	Config config;
	std::optional<TypeError> error;
};
// Moves string payloads out of `root` into the config; the tree keeps its
// shape, keys and positions for the unused-key walk and the report.
Decoded decodeConfig(json::Value &root, Spec spec);

// vcontext's ValidateUnusedKeys over the whole document: a warning for every
// key that is not a field of its struct at this spec version (exact case),
// with its marker set at the key. Also the "context tree does not match"
// warning for a null where a struct is expected.
void reportUnusedKeys(const json::Value &root, Spec spec, const json::LineIndex &lines, Report &report);

} // namespace flint::config::detail
