// Running an external tool with its output captured, for the system layer's shadow-utils and mkfs calls.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"

namespace flint::system {

// What a finished tool left behind.
struct ExecOutput {
	int status = 0; // as from waitpid()
	std::string out;
	std::string err;
};

// "\"useradd\" \"--root\" \"/sysroot\"": each argument quoted as Go's %q,
// as Ignition's log.QuotedCmd prints a command, except that the argument
// after "--password" (a password hash) is printed as "<redacted>".
std::string quotedCommand(const std::vector<std::string> &argv);

// Runs argv (argv[0] looked up in PATH) and waits for it, whatever its exit
// status; fails only when it cannot be started. stdin is /dev/null, or a
// pipe carrying `input` when that is not empty.
[[nodiscard]] Result<ExecOutput> execCapture(const std::vector<std::string> &argv, std::string_view input = {});

// "exit status 1" or "signal: Killed", as Go's exec.ExitError prints a
// waitpid() status.
std::string exitStatusText(int status);

// Runs argv and succeeds only on exit status 0. The error text is Ignition's
// LogCmd failure: "exit status 9: Cmd: \"useradd\" ... Stdout: \"...\"
// Stderr: \"...\"", so logs read the same as Ignition's. Does not log.
[[nodiscard]] Result<void> runTool(const std::vector<std::string> &argv, std::string_view input = {});

} // namespace flint::system
