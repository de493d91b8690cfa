// Error helpers.
#include "flint/base/result.h"

#include <cstring>

namespace flint {

Error errnoError(std::string_view what, int errnum)
{
	return Error(std::string(what) + ": " + std::strerror(errnum), errnum);
}

} // namespace flint
