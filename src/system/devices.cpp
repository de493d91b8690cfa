// Waiting for block devices and Ignition's device aliases.
#include "flint/system/devices.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <systemd/sd-device.h>
#include <thread>
#include <unistd.h>

#include "flint/base/go.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

namespace flint::system {

namespace {

using Clock = std::chrono::steady_clock;

// How often a missing device is looked for again. Cheap (a realpath and a
// stat per device), and short next to udev's own latency.
constexpr std::chrono::milliseconds kPollInterval{ 20 };

// Why path is not ready yet, or empty when it is.
std::string notReady(const std::string &path, bool udev)
{
	char resolved[PATH_MAX];
	if (!realpath(path.c_str(), resolved)) {
		if (errno == ENOENT || errno == ENOTDIR)
			return "does not exist";
		return std::string("cannot be resolved: ") + std::strerror(errno);
	}
	struct stat st;
	if (stat(resolved, &st) != 0)
		return std::string("cannot be examined: ") + std::strerror(errno);
	if (!S_ISBLK(st.st_mode))
		return std::string(resolved) + " is not a block device";
	if (!udev)
		return {};
	sd_device *dev = nullptr;
	if (int r = sd_device_new_from_devnum(&dev, 'b', st.st_rdev); r < 0)
		return std::string("is not known to udev yet (") + std::strerror(-r) + ")";
	int initialized = sd_device_get_is_initialized(dev);
	sd_device_unref(dev);
	if (initialized <= 0)
		return "exists, but udev has not finished with it";
	return {};
}

std::string formatDuration(std::chrono::milliseconds d)
{
	if (d.count() % 1000 == 0)
		return std::to_string(d.count() / 1000) + "s";
	return std::to_string(d.count()) + "ms";
}

} // namespace

bool udevRunning()
{
	return access("/run/udev/control", F_OK) == 0;
}

Result<void> waitForDevices(const std::vector<std::string> &paths, std::chrono::milliseconds timeout)
{
	const bool udev = udevRunning();
	const Clock::time_point deadline = Clock::now() + timeout;
	std::vector<std::string> pending = paths;
	for (;;) {
		std::vector<std::string> still;
		std::string why;
		for (const std::string &p : pending) {
			std::string reason = notReady(p, udev);
			if (reason.empty())
				continue;
			still.push_back(p);
			why += (why.empty() ? "" : "; ") + p + " " + reason;
		}
		if (still.empty())
			return {};
		if (Clock::now() >= deadline) {
			return unexpected("timed out after " + formatDuration(timeout) + " waiting for " +
					  (still.size() == 1 ? "device " : "devices ") + why);
		}
		pending = std::move(still);
		std::this_thread::sleep_for(kPollInterval);
	}
}

Result<void> settleUdev()
{
	if (!udevRunning())
		return {};
	return runTool({ distro::kUdevadmCmd, "settle" });
}

std::string deviceAlias(const std::string &aliasDir, const std::string &path)
{
	return go::pathJoin(aliasDir, go::pathClean(path));
}

Result<std::string> createDeviceAlias(const std::string &aliasDir, const std::string &path)
{
	// Ignition retries the resolution for 30 s while the link is missing;
	// waitForDevices() has normally waited for it already.
	const Clock::time_point deadline = Clock::now() + std::chrono::seconds(30);
	char resolved[PATH_MAX];
	while (!realpath(path.c_str(), resolved)) {
		if (errno != ENOENT || Clock::now() >= deadline)
			return unexpected(errnoError("resolving " + path));
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	const std::string alias = deviceAlias(aliasDir, path);
	// MkdirAll(Dir(alias), 0750).
	std::string dir = go::pathDir(alias);
	std::vector<std::string> missing;
	for (std::string d = dir; d != "/" && d != "." && access(d.c_str(), F_OK) != 0; d = go::pathDir(d))
		missing.push_back(d);
	for (auto it = missing.rbegin(); it != missing.rend(); ++it)
		if (mkdir(it->c_str(), 0750) != 0 && errno != EEXIST)
			return unexpected(errnoError("mkdir " + *it));
	if (unlink(alias.c_str()) != 0 && errno != ENOENT)
		return unexpected(errnoError("remove " + alias));
	if (symlink(resolved, alias.c_str()) != 0)
		return unexpected(errnoError("symlink " + std::string(resolved) + " " + alias));
	return std::string(resolved);
}

} // namespace flint::system
