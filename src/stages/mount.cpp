// The mount and umount stages: the config's filesystems with a path, mounted under the root by depth.
#include "flint/stages/mount.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "disks/disks_internal.h"
#include "files/files_internal.h"
#include "flint/base/go.h"
#include "flint/system/blockdev.h"
#include "flint/system/devices.h"
#include "flint/system/mounts.h"
#include "flint/system/root_dir.h"

namespace flint::stages {

namespace {

using system::RootDir;

// One filesystem to mount: its index in storage.filesystems (for messages)
// and util.Depth of its path.
struct Target {
	const config::Filesystem *fs = nullptr;
	std::size_t index = 0;
	std::size_t depth = 0;

	const std::string &path() const { return *fs->path; }
	const std::string &device() const { return fs->device; }
	std::string field() const { return "storage.filesystems." + std::to_string(index); }
};

std::size_t depthOf(std::string_view path)
{
	std::size_t n = 0;
	for (std::string p = go::pathClean(path); p != "/" && p != "."; p = go::pathDir(p))
		n++;
	return n;
}

// Ignition's mount and umount stages: a path, and a format that is a
// filesystem (not swap or none). Sorted shallow first, stably, so a parent
// is mounted before what lies in it and same-depth paths keep the config's
// order (Ignition's sort.Slice does not promise that).
std::vector<Target> targets(const config::Config &cfg)
{
	std::vector<Target> out;
	const std::vector<config::Filesystem> &fss = cfg.storage.filesystems;
	for (std::size_t i = 0; i < fss.size(); i++) {
		const config::Filesystem &fs = fss[i];
		if (!fs.path || fs.path->empty() || !fs.format || fs.format->empty() || *fs.format == "swap" ||
		    *fs.format == "none")
			continue;
		// Validation requires a device; an empty one cannot be mounted.
		if (fs.device.empty())
			continue;
		out.push_back(Target{ &fs, i, depthOf(*fs.path) });
	}
	std::stable_sort(out.begin(), out.end(), [](const Target &a, const Target &b) { return a.depth < b.depth; });
	return out;
}

std::vector<std::string> splitClean(const std::string &path)
{
	std::vector<std::string> parts;
	std::string clean = go::pathClean("/" + path);
	std::size_t i = 1;
	while (i < clean.size()) {
		std::size_t j = clean.find('/', i);
		if (j == std::string::npos)
			j = clean.size();
		parts.push_back(clean.substr(i, j - i));
		i = j + 1;
	}
	return parts;
}

std::string describe(const struct stat &st)
{
	if (S_ISLNK(st.st_mode))
		return "a symlink";
	if (S_ISREG(st.st_mode))
		return "a regular file";
	if (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode))
		return "a device node";
	if (S_ISFIFO(st.st_mode))
		return "a FIFO";
	if (S_ISSOCK(st.st_mode))
		return "a socket";
	return "not a directory";
}

// Walks the mount point from the root without following anything: every
// existing component must be a real directory (Ignition's
// checkForNonDirectories; Flint starts at the root, which is trusted, and
// never lets a symlink take the mount elsewhere). With `create`, missing
// components are made 0755 one by one, each relative to its parent's
// descriptor, and recorded as Ignition's NotateMkdirAll records them: the
// path as the config wrote it for the last one, its cleaned parents for
// the others. Returns the root-relative paths created (or, without
// `create`, missing), outermost first.
Result<std::vector<std::string>> walkMountPoint(RootDir &root, const Target &t, bool create,
						std::vector<std::string> *notated)
{
	const std::vector<std::string> parts = splitClean(t.path());
	const std::string host = root.hostPath(go::pathClean(t.path()));
	UniqueFd dir(fcntl(root.fd(), F_DUPFD_CLOEXEC, 3));
	if (!dir.isValid())
		return unexpected(errnoError("duplicating the root's descriptor"));
	std::vector<std::string> missing;
	std::string rel;
	for (std::size_t i = 0; i < parts.size(); i++) {
		rel += "/" + parts[i];
		struct stat st;
		bool exists = fstatat(dir.get(), parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (!exists && errno != ENOENT)
			return unexpected(errnoError("stat " + root.hostPath(rel)));
		if (!exists) {
			missing.push_back(rel);
			if (!create) {
				// Nothing further down exists either.
				for (std::size_t k = i + 1; k < parts.size(); k++)
					missing.push_back(missing.back() + "/" + parts[k]);
				return missing;
			}
			if (mkdirat(dir.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST)
				return unexpected(errnoError("mkdir " + root.hostPath(rel)));
			if (notated) {
				// The config's own spelling for the leaf, filepath.Dir
				// of it for the parents.
				std::string recorded = t.path();
				for (std::size_t up = parts.size() - 1; up > i; up--)
					recorded = go::pathDir(recorded);
				notated->push_back(recorded);
			}
			if (fstatat(dir.get(), parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
				return unexpected(errnoError("stat " + root.hostPath(rel)));
		}
		if (!S_ISDIR(st.st_mode)) {
			std::string what = describe(st);
			if (S_ISLNK(st.st_mode)) {
				char buf[4096];
				ssize_t n = readlinkat(dir.get(), parts[i].c_str(), buf, sizeof(buf));
				if (n >= 0)
					what += " to " + go::quote(std::string(buf, static_cast<std::size_t>(n)));
			}
			return unexpected("mount path " + go::quote(host) + " contains non-directory component " +
					  go::quote(root.hostPath(rel)) + " (" + what + "): a mount point must be a " +
					  "real directory inside the root, so that no filesystem can land outside it; " +
					  "replace " + root.hostPath(rel) + " with a directory or change " + t.field() +
					  ".path");
		}
		int next = openat(dir.get(), parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return unexpected(errnoError("open " + root.hostPath(rel)));
		dir = UniqueFd(next);
	}
	return missing;
}

// Ignition's FilesystemIsEmpty: nothing but lost+found.
bool isEmptyFilesystem(const std::string &hostPath)
{
	DIR *d = opendir(hostPath.c_str());
	if (!d)
		return false;
	bool empty = true;
	while (struct dirent *e = readdir(d)) {
		std::string_view n = e->d_name;
		if (n != "." && n != ".." && n != "lost+found") {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

std::string joinOptions(const std::vector<std::string> &options)
{
	std::string out;
	for (const std::string &o : options)
		out += (out.empty() ? "" : ",") + o;
	return out;
}

// Whether another target's path is a proper ancestor of t's: then t's
// mount point lies (partly) on that filesystem and can only be checked once
// it is mounted.
bool hasAncestorTarget(const Target &t, const std::vector<Target> &all)
{
	const std::string p = go::pathClean(t.path());
	for (const Target &o : all) {
		std::string a = go::pathClean(o.path());
		if (a == p)
			continue;
		if (a == "/" || p.compare(0, a.size() + 1, a + "/") == 0)
			return true;
	}
	return false;
}

// `labels` is an empty Relabeler for the root, copied for each setfiles run.
Result<void> mountOne(RootDir &root, const Target &t, const MountContext &ctx, const files::Relabeler &labels)
{
	const std::string host = root.hostPath(go::pathClean(t.path()));
	const std::string &format = *t.fs->format;
	const std::string options = joinOptions(t.fs->mountOptions);

	// A second run after a successful one (the service restarted): the
	// filesystem is already there.
	Result<std::vector<std::string>> missing = walkMountPoint(root, t, false, nullptr);
	if (!missing)
		return unexpected(missing.error());
	if (missing->empty()) {
		Result<std::optional<system::MountedFilesystem>> mounted = system::mountedAt(host);
		if (!mounted)
			return unexpected(mounted.error());
		if (*mounted && system::mountedFrom(**mounted, t.device())) {
			LOG(Disks, Info) << go::quote(t.device()) << " is already mounted at " << go::quote(host)
					 << " (" << (*mounted)->type << ", " << (*mounted)->options
					 << "); not mounting it again";
			return {};
		}
		if (*mounted)
			LOG(Disks, Warning) << go::quote(host) << " already has " << go::quote((*mounted)->source)
					    << " (" << (*mounted)->type << ") mounted; mounting " << go::quote(t.device())
					    << " over it, as Ignition does";
	}

	// The first directory created is relabelled (on the parent
	// filesystem) before anything is mounted on it.
	if (!missing->empty()) {
		std::vector<std::string> local;
		std::vector<std::string> *notated = ctx.notatedDirectories ? ctx.notatedDirectories : &local;
		Result<std::vector<std::string>> made = walkMountPoint(root, t, true, notated);
		if (!made)
			return unexpected(made.error());
		if (!made->empty())
			LOG(Disks, Info) << "created mount point " << go::quote(host) << " ("
					 << made->size() << " director" << (made->size() == 1 ? "y" : "ies")
					 << ", recorded for the files stage)";
		if (labels.enabled() && !made->empty()) {
			files::Relabeler relabel = labels;
			relabel.add(made->front());
			if (Result<void> r = relabel.run(root); !r)
				return r;
		}
	}

	Result<void> mounted = log::logOperation(
		"mounting " + go::quote(t.device()) + " at " + go::quote(host) + " with type " + go::quote(format) +
			" and options " + go::quote(options),
		[&]() -> Result<void> {
			LOG(Disks, Debug) << "libmount: mount -o " << go::quote(options) << " -t " << go::quote(format)
					  << " " << go::quote(t.device()) << " " << go::quote(host);
			return system::mountFilesystem(t.device(), host, format, t.fs->mountOptions);
		});
	if (!mounted) {
		Error e = mounted.error().withContext("mounting " + t.device() + " (" + t.field() + ", format " + format +
						      ") at " + host);
		// The most common cause: the device holds something else.
		if (Result<system::FilesystemProbe> found = system::probeFilesystem(t.device());
		    found && found->type != format)
			return unexpected(e.message() + "; " + t.device() + " holds " +
					  (found->type.empty() ? std::string("no filesystem blkid knows")
							       : found->type) +
					  ", not " + format + ": fix " + t.field() +
					  ".format, or let the disks stage make the filesystem");
		return unexpected(e);
	}

	// A fresh filesystem's root gets its label too.
	if (labels.enabled() && isEmptyFilesystem(host)) {
		files::Relabeler relabel = labels;
		relabel.add(go::pathClean(t.path()));
		if (Result<void> r = relabel.run(root); !r)
			return unexpected(r.error().withContext("relabelling the root of " + host));
	}
	return {};
}

} // namespace

Result<void> runMount(const config::Config &cfg, const MountContext &ctx)
{
	std::vector<Target> all = targets(cfg);
	if (all.empty())
		return {};
	if (!ctx.root)
		return unexpected("no root directory to mount in");
	RootDir &root = *ctx.root;

	// Everything that can be checked before the first mount: the devices
	// are there, and each mount point that does not lie on another of
	// these filesystems is a plain directory path.
	std::vector<std::string> devices;
	for (const Target &t : all)
		if (std::find(devices.begin(), devices.end(), t.device()) == devices.end())
			devices.push_back(t.device());
	std::string list;
	for (const std::string &d : devices)
		list += (list.empty() ? "" : " ") + d;
	Result<void> waited = log::logOperation("waiting for devices [" + list + "]", [&]() -> Result<void> {
		return system::waitForDevices(devices, ctx.deviceTimeout);
	});
	if (!waited) {
		std::string fields;
		for (const Target &t : all) {
			struct stat st;
			if (::stat(t.device().c_str(), &st) != 0 || !S_ISBLK(st.st_mode))
				fields += (fields.empty() ? "" : ", ") + t.field() + ".device";
		}
		return unexpected(waited.error().withContext("failed to wait on mount devs").message() + "; check " +
				  (fields.empty() ? std::string("storage.filesystems[].device") : fields) +
				  ", or raise FLINT_DEVICE_TIMEOUT (seconds) if the device appears late");
	}
	for (const Target &t : all) {
		if (hasAncestorTarget(t, all))
			continue;
		if (Result<std::vector<std::string>> r = walkMountPoint(root, t, false, nullptr); !r)
			return unexpected(r.error());
	}
	Result<files::Relabeler> labels = files::Relabeler::forRoot(root);
	if (!labels)
		return unexpected(labels.error().withContext("failed to check if SELinux labeling required"));

	for (const Target &t : all)
		if (Result<void> r = mountOne(root, t, ctx, *labels); !r)
			return r;
	return {};
}

Result<void> runUmount(const config::Config &cfg, const MountContext &ctx)
{
	std::vector<Target> all = targets(cfg);
	if (all.empty())
		return {};
	if (!ctx.root)
		return unexpected("no root directory to mount in");
	RootDir &root = *ctx.root;
	// Deepest first: the mount order reversed (a path mounted twice loses
	// its top mount first).
	std::reverse(all.begin(), all.end());

	// Unlike Ignition, which stops at the first failure, every filesystem
	// is tried, so one busy mount does not keep the others mounted.
	std::optional<Error> first;
	std::size_t failures = 0;
	for (const Target &t : all) {
		// Ignition's JoinPath: symlinks inside the root followed.
		Result<std::string> resolved = root.resolvedPath(t.path());
		if (!resolved)
			return unexpected(resolved.error().withContext("resolving " + t.field() + ".path"));
		const std::string host = root.hostPath(*resolved);
		Result<std::optional<system::MountedFilesystem>> mounted = system::mountedAt(host);
		if (mounted && !*mounted) {
			// Ignition fails here (EINVAL); after a mount stage that
			// stopped early, there is simply less to unmount.
			LOG(Disks, Info) << go::quote(host) << " is not mounted; nothing to unmount for " << t.field();
			continue;
		}
		Result<void> r = log::logOperation("umounting " + go::quote(host), [&]() -> Result<void> {
			Result<void> u = system::unmountFilesystem(host);
			if (!u && u.error().errnum() == EBUSY)
				return unexpected(u.error().message() +
						  ": something still uses it (open files, a working directory or a " +
						  "mount below it); `fuser -vm " + host + "` and `findmnt -R " + host +
						  "` show what");
			return u;
		});
		if (!r) {
			failures++;
			if (!first)
				first = r.error();
		}
	}
	if (!first)
		return {};
	if (failures > 1)
		return unexpected(first->message() + " (and " + std::to_string(failures - 1) +
				  " more filesystems could not be unmounted)");
	return unexpected(*first);
}

} // namespace flint::stages
