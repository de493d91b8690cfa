// The disks stage: waits for devices, then partitions, RAID, LUKS and filesystems, in Ignition's order.
#include "flint/stages/disks.h"

#include "disks_internal.h"
#include "flint/base/go.h"
#include "flint/system/devices.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

FLINT_LOG_DEFINE_CATEGORY(Disks, "disks")

namespace flint::stages {

namespace disks {

Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what)
{
	return log::logOperation(what, [&]() -> Result<void> {
		LOG(Disks, Debug) << "executing: " << system::quotedCommand(argv);
		return system::runTool(argv);
	});
}

Result<void> Devices::prepare(const std::vector<std::string> &paths, std::string_view what)
{
	if (paths.empty())
		return {};
	// Go's %v of a []string: [a b c].
	std::string list;
	for (const std::string &p : paths)
		list += (list.empty() ? "" : " ") + p;
	Result<void> waited = log::logOperation("waiting for devices [" + list + "]", [&]() -> Result<void> {
		return system::waitForDevices(paths, ctx_.deviceTimeout);
	});
	if (!waited)
		return unexpected(waited.error().withContext("failed to wait on " + std::string(what) + " devs"));
	for (const std::string &p : paths) {
		Result<std::string> target = system::createDeviceAlias(ctx_.aliasDir, p);
		if (!target)
			return unexpected(target.error().withContext("failed to create device alias for " + go::quote(p)));
		LOG(Disks, Info) << "created device alias for " << go::quote(p) << ": " << go::quote(alias(p))
				 << " -> " << go::quote(*target);
	}
	return {};
}

std::string Devices::alias(const std::string &path) const
{
	return system::deviceAlias(ctx_.aliasDir, path);
}

} // namespace disks

Result<void> runDisks(const config::Config &cfg, const DisksContext &ctx)
{
	const config::Storage &s = cfg.storage;
	// Nothing to do: no udev interaction at all, as in Ignition.
	if (s.disks.empty() && s.raid.empty() && s.filesystems.empty() && s.luks.empty())
		return {};

	disks::Devices devices(ctx);
	// Ignition would partition first and only then find a filesystem it
	// must refuse; Flint refuses before the first change.
	if (!s.disks.empty() || !s.raid.empty() || !s.luks.empty()) {
		if (Result<void> r = disks::checkExistingFilesystems(cfg); !r)
			return unexpected(r.error().withContext("failed to create filesystems"));
	}
	if (Result<void> r = disks::createPartitions(cfg, devices); !r)
		return unexpected(r.error().withContext("create partitions failed"));
	if (Result<void> r = disks::createRaids(cfg, devices); !r)
		return unexpected(r.error().withContext("failed to create raids"));
	if (Result<void> r = disks::createLuks(cfg, devices); !r)
		return unexpected(r.error().withContext("failed to create luks"));
	if (Result<void> r = disks::createFilesystems(cfg, devices); !r)
		return unexpected(r.error().withContext("failed to create filesystems"));

	// mkfs and partitioning make udev drop and re-create by-label links;
	// let it finish before later units look for them (Ignition settles
	// for the same reason). Without udev there is nothing to wait for.
	if (system::udevRunning()) {
		if (Result<void> r = disks::runLogged({ distro::kUdevadmCmd, "settle" }, "waiting for udev to settle");
		    !r)
			return unexpected(r.error().withContext("udevadm settle failed"));
	}
	return {};
}

} // namespace flint::stages
