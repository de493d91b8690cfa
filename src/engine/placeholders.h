// ${mac}-style placeholders in ignition.config.url, filled from the machine (beyond Ignition).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "flint/base/result.h"

namespace flint::engine {

// The placeholders Flint fills, for docs and error messages.
inline constexpr std::string_view kPlaceholderNames = "${mac}, ${mac:hexhyp}, ${uuid}, ${hostname}";

// Replaces every ${name} in `url` by lookup(name). A URL without "${" is
// returned as it is. An unknown name, an unterminated "${", or a failed
// lookup is an error naming the placeholder.
[[nodiscard]] Result<std::string> expandPlaceholders(std::string_view url,
						     const std::function<Result<std::string>(std::string_view)> &lookup);

// Where the machine's facts come from; tests point these elsewhere.
struct MachineSources {
	std::string sysRoot = "/sys";
	std::string procRoot = "/proc";
	std::string cmdline; // the kernel command line (for BOOTIF=)
};

// The value of one placeholder on this machine:
//  mac         the MAC of the interface that PXE-booted (BOOTIF= on the
//              kernel command line, as PXELINUX's IPAPPEND 2 gives it), else
//              of the first physical non-loopback interface by name, else of
//              the first non-loopback one; lower case, colon separated;
//  mac:hexhyp  the same with hyphens (iPXE's spelling);
//  uuid        the DMI product UUID, lower case;
//  hostname    the kernel's host name.
[[nodiscard]] Result<std::string> machineFact(std::string_view name, const MachineSources &src);

} // namespace flint::engine
