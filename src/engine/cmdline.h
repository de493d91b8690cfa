// The kernel command line: where Ignition's cmdline provider finds its config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flint::engine {

// What the command line asks of Ignition.
struct CmdlineConfig {
	std::string url;    // ignition.config.url=, the last one wins; empty when absent
	std::string device; // ignition.config.device= (a filesystem label)
	std::string path;   // ignition.config.path= (a file on that filesystem)
};

// Splits a kernel command line into arguments as the kernel does: on
// whitespace, with double quotes grouping (and removed), so
// `ignition.config.url="http://h/a b"` is one argument.
std::vector<std::string> splitCmdline(std::string_view cmdline);

// The ignition.config.* values of `cmdline`: for each key the last
// `key=value` wins, an empty value included (as Ignition: a later
// `ignition.config.url=` clears an earlier URL); a bare `key` is ignored.
CmdlineConfig parseCmdline(std::string_view cmdline);

} // namespace flint::engine
