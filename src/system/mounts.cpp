// Mounting with libmount, unmounting with umount2, and what /proc/self/mountinfo says is mounted where.
#include "flint/system/mounts.h"

#include <libmount/libmount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace flint::system {

namespace {

struct ContextFree {
	void operator()(libmnt_context *c) const { mnt_free_context(c); }
};
struct TableFree {
	void operator()(libmnt_table *t) const { mnt_unref_table(t); }
};

std::string joinOptions(const std::vector<std::string> &options)
{
	std::string out;
	for (const std::string &o : options)
		out += (out.empty() ? "" : ",") + o;
	return out;
}

std::string realPath(const std::string &p)
{
	char buf[PATH_MAX];
	return realpath(p.c_str(), buf) ? std::string(buf) : std::string();
}

} // namespace

Result<void> mountFilesystem(const std::string &source, const std::string &target, const std::string &type,
			     const std::vector<std::string> &options)
{
	std::unique_ptr<libmnt_context, ContextFree> cxt(mnt_new_context());
	if (!cxt)
		return unexpected(Error("libmount: cannot allocate a mount context", ENOMEM));
	const std::string opts = joinOptions(options);
	// Both source and target are given, so libmount never consults fstab
	// (the initramfs's would be the wrong one anyway).
	if (mnt_context_set_source(cxt.get(), source.c_str()) != 0 ||
	    mnt_context_set_target(cxt.get(), target.c_str()) != 0 ||
	    (!type.empty() && mnt_context_set_fstype(cxt.get(), type.c_str()) != 0) ||
	    (!opts.empty() && mnt_context_set_options(cxt.get(), opts.c_str()) != 0))
		return unexpected(Error("libmount: cannot set up the mount of " + source + " on " + target, ENOMEM));

	int rc = mnt_context_mount(cxt.get());
	char buf[BUFSIZ] = {};
	int status = mnt_context_get_excode(cxt.get(), rc, buf, sizeof(buf));
	if (status == MNT_EX_SUCCESS)
		return {};

	// The same text mount(8) prints after "mount: <target>: ".
	int err = mnt_context_syscall_called(cxt.get()) ? mnt_context_get_syscall_errno(cxt.get()) : 0;
	if (err == 0 && rc < 0)
		err = -rc;
	std::string why = buf[0] ? std::string(buf) : (err ? std::string(std::strerror(err)) : "unknown error");
	return unexpected(Error(why + " (mount exit status " + std::to_string(status) + ")", err));
}

Result<void> unmountFilesystem(const std::string &target)
{
	if (umount2(target.c_str(), 0) != 0)
		return unexpected(errnoError("unmounting " + target));
	return {};
}

Result<std::optional<MountedFilesystem>> mountedAt(const std::string &target)
{
	// mountinfo lists resolved paths.
	char buf[PATH_MAX];
	if (!realpath(target.c_str(), buf)) {
		if (errno == ENOENT || errno == ENOTDIR)
			return std::optional<MountedFilesystem>();
		return unexpected(errnoError("resolving " + target));
	}
	const std::string path = buf;
	std::unique_ptr<libmnt_table, TableFree> table(mnt_new_table_from_file("/proc/self/mountinfo"));
	if (!table)
		return unexpected(errnoError("reading /proc/self/mountinfo"));
	// The last entry for a mount point is the one on top.
	libmnt_fs *fs = mnt_table_find_target(table.get(), path.c_str(), MNT_ITER_BACKWARD);
	if (!fs)
		return std::optional<MountedFilesystem>();
	MountedFilesystem m;
	if (const char *s = mnt_fs_get_source(fs))
		m.source = s;
	if (const char *t = mnt_fs_get_fstype(fs))
		m.type = t;
	if (const char *o = mnt_fs_get_vfs_options(fs))
		m.options = o;
	dev_t dev = mnt_fs_get_devno(fs);
	m.major = major(dev);
	m.minor = minor(dev);
	return std::optional<MountedFilesystem>(std::move(m));
}

bool mountedFrom(const MountedFilesystem &mounted, const std::string &device)
{
	struct stat st;
	if (stat(device.c_str(), &st) == 0 && S_ISBLK(st.st_mode) && major(st.st_rdev) == mounted.major &&
	    minor(st.st_rdev) == mounted.minor)
		return true;
	if (mounted.source.empty() || mounted.source[0] != '/')
		return false;
	std::string a = realPath(mounted.source);
	return !a.empty() && a == realPath(device);
}

std::optional<bool> mountedGrpid(dev_t dev)
{
	std::unique_ptr<libmnt_table, TableFree> table(mnt_new_table_from_file("/proc/self/mountinfo"));
	if (!table)
		return std::nullopt;
	libmnt_fs *fs = mnt_table_find_devno(table.get(), dev, MNT_ITER_FORWARD);
	if (!fs)
		return std::nullopt;
	const char *opts = mnt_fs_get_fs_options(fs);
	if (!opts)
		return false;
	return mnt_optstr_get_option(opts, "grpid", nullptr, nullptr) == 0 ||
	       mnt_optstr_get_option(opts, "bsdgroups", nullptr, nullptr) == 0;
}

} // namespace flint::system
