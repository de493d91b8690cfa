// The disks stage's sub-steps and the device bookkeeping they share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flint/base/log.h"
#include "flint/base/result.h"
#include "flint/config/types.h"
#include "flint/stages/disks.h"

FLINT_LOG_DECLARE_CATEGORY(Disks)

namespace flint::stages::disks {

// Runs a tool as Ignition's LogCmd does: "<what>" logged as an operation,
// the command at debug level, failure text with exit status, stdout and
// stderr.
[[nodiscard]] Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what);

// Waits for the devices a sub-step references and gives each the alias path
// the tools are run on (/run/ignition/dev_aliases/<path>), as Ignition's
// waitOnDevicesAndCreateAliases.
class Devices final
{
public:
	explicit Devices(const DisksContext &ctx) : ctx_(ctx) {}

	// Logged as "waiting for devices [...]" then "created device alias for
	// ...". `what` names the sub-step in the error: "failed to wait on
	// <what> devs: ...".
	[[nodiscard]] Result<void> prepare(const std::vector<std::string> &paths, std::string_view what);

	// The alias of a config path (prepare() must have succeeded for it).
	std::string alias(const std::string &path) const;

	const DisksContext &context() const { return ctx_; }

private:
	const DisksContext &ctx_;
};

// Each returns an error worded as Ignition's sub-step would; runDisks()
// prefixes "create partitions failed: " etc.
[[nodiscard]] Result<void> createPartitions(const config::Config &cfg, Devices &devices);
[[nodiscard]] Result<void> createRaids(const config::Config &cfg, Devices &devices);
[[nodiscard]] Result<void> createLuks(const config::Config &cfg, Devices &devices);
[[nodiscard]] Result<void> createFilesystems(const config::Config &cfg, Devices &devices);

// Before any step changes anything: refuses the filesystems that already
// exist, on devices no earlier step rewrites, and differ from the config
// without wipeFilesystem, so such a config fails with every disk as it was.
// Devices that do not exist yet are left to createFilesystems.
[[nodiscard]] Result<void> checkExistingFilesystems(const config::Config &cfg);

} // namespace flint::stages::disks
