// ignition.config.device= + ignition.config.path=: the config from a file on a labelled filesystem.
#include "engine/config_device.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/command.h"
#include "engine/fsutil.h"
#include "engine/log_categories.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

bool exists(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0;
}

// The nearest existing ancestor directory of `path`.
std::string existingAncestor(std::string path)
{
	while (!path.empty() && path != "/") {
		std::size_t slash = path.rfind('/');
		path = slash == 0 ? "/" : path.substr(0, slash);
		if (exists(path))
			return path;
	}
	return "/";
}

} // namespace

bool waitForPath(const std::string &path, std::chrono::milliseconds timeout)
{
	using Clock = std::chrono::steady_clock;
	const Clock::time_point deadline = Clock::now() + timeout;
	for (;;) {
		if (exists(path))
			return true;
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
		if (left.count() <= 0)
			return false;
		// Watch the deepest directory that exists: a creation (or a
		// symlink moved in, as udev does) there is the event to re-check
		// on. Watching starts before the re-check, so nothing is missed.
		int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (fd < 0)
			return exists(path);
		std::string dir = existingAncestor(path);
		inotify_add_watch(fd, dir.c_str(), IN_CREATE | IN_MOVED_TO | IN_ATTRIB);
		if (exists(path)) {
			close(fd);
			return true;
		}
		struct pollfd pfd = { fd, POLLIN, 0 };
		// Bounded by the deadline; at most 1 s so that a directory
		// created further up (a new parent) is noticed too.
		poll(&pfd, 1, static_cast<int>(std::min<long>(left.count(), 1000)));
		close(fd);
	}
}

Result<std::string> readConfigFromDevice(const std::string &label, const std::string &path,
					 const std::string &byLabelDir, std::chrono::seconds timeout)
{
	// A label is one path component: no way out of by-label.
	if (label.empty() || label == "." || label == ".." || label.find('/') != std::string::npos)
		return unexpected("invalid device label " + go::quote(label));

	const std::string device = byLabelDir + "/" + label;
	if (!exists(device))
		LOG(Engine, Info) << "waiting up to " << timeout.count() << "s for the device " << go::quote(device);
	if (!waitForPath(device, timeout))
		return unexpected("device " + go::quote(label) + " did not appear within " +
				  std::to_string(timeout.count()) + "s (no " + device + ")");

	char tmpl[] = "/tmp/ignition-config-XXXXXX";
	const char *mnt = mkdtemp(tmpl);
	if (!mnt)
		return unexpected(errnoError("failed to create temp directory"));
	const std::string mountPoint = mnt;

	if (Result<void> r = runLogged({ "mount", "-o", "ro", "-t", "auto", device, mountPoint }, "mounting disk"); !r) {
		rmdir(mountPoint.c_str());
		return unexpected(r.error());
	}

	// The path is taken relative to the filesystem's root, whatever it says.
	const std::string inside = go::pathClean("/" + path);
	Result<std::string> data = readFile(mountPoint + inside);
	Result<void> unmounted = log::logOperation("unmounting " + go::quote(device) + " at " + go::quote(mountPoint),
						   [&]() -> Result<void> {
							   if (umount2(mountPoint.c_str(), 0) != 0)
								   return unexpected(errnoError("umount"));
							   return {};
						   });
	if (unmounted)
		rmdir(mountPoint.c_str());
	if (!data) {
		if (data.error().errnum() == ENOENT)
			return unexpected("config file " + go::quote(path) + " not found on device " + go::quote(label));
		return unexpected(Error("reading " + go::quote(path) + " on device " + go::quote(label) + ": " +
					data.error().message()));
	}
	return data;
}

} // namespace flint::engine
