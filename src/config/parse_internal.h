// Internal entry points shared by parse.cpp, validate.cpp and translate.cpp.
#pragma once

#include "flint/config/report.h"
#include "flint/config/types.h"
#include "flint/config/version.h"

namespace flint::config {

// Runs every Validate() rule of `spec` over `cfg` (and the duplicate check
// when `duplicates`), appending entries without positions.
void validateAt(Spec spec, const Config &cfg, Report &report, bool duplicates);

// Translates a config parsed at `from` to the latest spec, as Ignition's
// chain of translate.Translate steps does.
Config translateToLatest(Config cfg, Spec from);

} // namespace flint::config
