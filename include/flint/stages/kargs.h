// The kargs stage: kernel arguments through the distribution's ignition-kargs-helper.
#pragma once

#include <string>

#include "flint/base/result.h"
#include "flint/config/types.h"

namespace flint::stages {

struct KargsContext {
	// The running kernel's command line (/proc/cmdline, or
	// IGNITION_KERNEL_CMDLINE_PATH).
	std::string kernelCmdlinePath = "/proc/cmdline";
};

// Nothing to do when both lists are empty. On an installed system, runs
// `ignition-kargs-helper --should-exist A ... --should-not-exist B ...` as
// Ignition does (the helper edits the boot loader and reboots if needed). On
// a live system (the distribution's `is-live-image` succeeds) nothing can be
// changed: the stage succeeds when the running command line already
// satisfies the config and otherwise fails naming the arguments.
[[nodiscard]] Result<void> runKargs(const config::KernelArguments &kargs, const KargsContext &ctx);

} // namespace flint::stages
