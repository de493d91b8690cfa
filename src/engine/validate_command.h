// `ignition-validate` / `flint validate`: check a config and print its report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flint::engine {

// Runs the validator as Ignition 2.14's validate/main.go does and returns the
// exit status: 0 valid (warnings allowed), 1 invalid or unreadable, 2 bad flag.
// `argv0` is what the usage line shows.
int runValidate(std::string_view argv0, const std::vector<std::string> &args);

} // namespace flint::engine
