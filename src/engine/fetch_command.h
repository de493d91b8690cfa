// `flint fetch`: fetch one URL exactly as the stages would, for debugging and benchmarks.
#pragma once

#include <string>
#include <vector>

#include "engine/platforms.h"

namespace flint::engine {

// Fetches the URL in `args` (see docs/cli.md) and returns the exit status:
// 0 fetched, 1 the fetch failed, 2 usage error.
int runFetch(const std::vector<std::string> &args, const FetchEnvironment &env);

} // namespace flint::engine
