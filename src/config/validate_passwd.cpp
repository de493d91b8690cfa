// Validation of passwd users and groups. Ignition has no rules here beyond
// duplicate names and SSH keys (dups.cpp); empty names are accepted.
#include "validate_internal.h"

namespace flint::config::detail {

void validatePasswd(Ctx &, const Passwd &)
{
}

} // namespace flint::config::detail
