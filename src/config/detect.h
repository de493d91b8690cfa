// Recognising inputs that are not Ignition v3 configs (Butane YAML,
// cloud-config, spec 1/2 JSON, a byte order mark, not JSON at all), to say
// what the file is and what to do instead. Beyond Ignition.
#pragma once

#include <string>
#include <string_view>

namespace flint::config {

// A one-sentence hint about what `raw` looks like when it is not an Ignition
// v3 config, or "" when there is nothing to say (a JSON object without a
// spec 1/2 version, or empty input). Looks at the first few KiB only; meant
// to be called when parsing fails.
std::string detectForeignFormat(std::string_view raw);

} // namespace flint::config
