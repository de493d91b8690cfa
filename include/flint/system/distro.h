// The external tools and paths Flint uses, overridable at build time as Ignition's internal/distro is.
#pragma once

// Each default is a bare name looked up in PATH, as in Ignition. A
// distribution that keeps a tool elsewhere defines the macro (e.g.
// -DFLINT_DISTRO_USERADD="/usr/sbin/useradd") instead of patching callers.
#ifndef FLINT_DISTRO_USERADD
#define FLINT_DISTRO_USERADD "useradd"
#endif
#ifndef FLINT_DISTRO_USERMOD
#define FLINT_DISTRO_USERMOD "usermod"
#endif
#ifndef FLINT_DISTRO_USERDEL
#define FLINT_DISTRO_USERDEL "userdel"
#endif
#ifndef FLINT_DISTRO_GROUPADD
#define FLINT_DISTRO_GROUPADD "groupadd"
#endif
#ifndef FLINT_DISTRO_GROUPMOD
#define FLINT_DISTRO_GROUPMOD "groupmod"
#endif
#ifndef FLINT_DISTRO_GROUPDEL
#define FLINT_DISTRO_GROUPDEL "groupdel"
#endif

namespace flint::distro {

// Helper programs for users and groups (shadow-utils).
inline constexpr const char *kUseraddCmd = FLINT_DISTRO_USERADD;
inline constexpr const char *kUsermodCmd = FLINT_DISTRO_USERMOD;
inline constexpr const char *kUserdelCmd = FLINT_DISTRO_USERDEL;
inline constexpr const char *kGroupaddCmd = FLINT_DISTRO_GROUPADD;
inline constexpr const char *kGroupmodCmd = FLINT_DISTRO_GROUPMOD;
inline constexpr const char *kGroupdelCmd = FLINT_DISTRO_GROUPDEL;

} // namespace flint::distro
