// `ignition` / `flint ignition`: Ignition's command line, logging and exit codes around one stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/platforms.h"

namespace flint::engine {

// Runs as Ignition's internal/main.go does and returns the exit status: 0 ok,
// 1 stage or config failure, 2 usage error, 3 state load failure. `argv0` is
// what the usage line shows.
int runIgnition(std::string_view argv0, const std::vector<std::string> &args, const ProviderInputs &inputs);

} // namespace flint::engine
