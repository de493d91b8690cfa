// Running an external tool as Ignition's LogCmd does: logged as an operation, output captured.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"

namespace flint::engine {

// "\"modprobe\" \"qemu_fw_cfg\"": each argument quoted as Go's %q.
std::string quotedCommand(const std::vector<std::string> &argv);

// Runs argv (argv[0] looked up in PATH) as the operation `what`:
// "op(N): [started]  <what>", DEBUG "executing: <cmd>", then [finished] or
// [failed] with Ignition's "<err>: Cmd: <cmd> Stdout: \"...\" Stderr: \"...\"".
[[nodiscard]] Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what);

} // namespace flint::engine
