// The version line `-version` prints and every run logs first.
#pragma once

#include <string>

namespace flint::engine {

// "Flint 0.1.0 (Ignition-compatible; config spec 3.0.0 to 3.6.0 and 3.7.0-experimental)"
std::string versionString();

} // namespace flint::engine
