// The version line `-version` prints and every run logs first.
#include "engine/version_string.h"

#include "flint/config/version.h"
#include "flint_build_config.h"

namespace flint::engine {

std::string versionString()
{
	// config::supportedRangeText() reads "3.0.0 to 3.6.0 (and 3.7.0-experimental)";
	// inside our own parentheses the same range is spelled without nesting.
	std::string range = config::supportedRangeText();
	if (std::size_t p = range.find(" (and "); p != std::string::npos && range.back() == ')')
		range = range.substr(0, p) + " and " + range.substr(p + 6, range.size() - p - 7);
	return std::string("Flint ") + FLINT_VERSION + " (Ignition-compatible; config spec " + range + ")";
}

} // namespace flint::engine
