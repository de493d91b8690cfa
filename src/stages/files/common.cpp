// The files stage's shared pieces: staged contents, the parallel prefetch, permissions and logged tool runs.
#include "files_internal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <random>

#include "flint/base/fd_io.h"
#include "flint/base/go.h"
#include "flint/system/exec.h"
#include "flint/system/mounts.h"
#include "flint/system/passwd.h"

FLINT_LOG_DEFINE_CATEGORY(Files, "files")

namespace flint::stages::files {

namespace {

// An anonymous file in `dir` (an open directory): O_TMPFILE where the
// filesystem has it, else a random name unlinked at once (overlayfs before
// Linux 6.6 has no O_TMPFILE).
Result<UniqueFd> anonymousFileIn(int dir)
{
	UniqueFd fd(::openat(dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
	if (fd.isValid())
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return unexpected(errnoError("open O_TMPFILE"));
	std::random_device rd;
	for (int attempt = 0; attempt < 100; attempt++) {
		std::string name = ".flint-spill-" + std::to_string(rd());
		UniqueFd named(::openat(dir, name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
		if (!named.isValid()) {
			if (errno == EEXIST)
				continue;
			return unexpected(errnoError("create spill file"));
		}
		::unlinkat(dir, name.c_str(), 0);
		return named;
	}
	return unexpected(Error("create spill file: no free name", EEXIST));
}

} // namespace

bool plainDirectory(int dirFd)
{
	struct stat st;
	if (::fstat(dirFd, &st) < 0 || !S_ISDIR(st.st_mode) || (st.st_mode & S_ISGID))
		return false;
	// fgetxattr refuses O_PATH fds; the /proc link reaches the same inode.
	std::string proc = "/proc/self/fd/" + std::to_string(dirFd);
	if (::getxattr(proc.c_str(), "system.posix_acl_default", nullptr, 0) >= 0)
		return false;
	if (errno != ENODATA && errno != ENOTSUP)
		return false;
	static std::mutex mutex;
	static std::map<dev_t, bool> grpid;
	std::lock_guard<std::mutex> lock(mutex);
	auto it = grpid.find(st.st_dev);
	if (it == grpid.end())
		// Unknown counts as grpid.
		it = grpid.emplace(st.st_dev, system::mountedGrpid(st.st_dev).value_or(true)).first;
	return !it->second;
}

StagingArea::StagingArea(system::RootDir &root) : root_(root) {}

StagingArea::~StagingArea()
{
	if (oldLimit_)
		::setrlimit(RLIMIT_NOFILE, &*oldLimit_);
}

// Open directories kept by the staging area at most; past that, files
// whose nearest existing directory is another one are not staged.
constexpr std::size_t kStagingDirs = 256;
// Open files left to everything else (directory handles, sockets, tools)
// when the staged files are counted against the open-file limit.
constexpr rlim_t kSpareFiles = 2048;

int StagingArea::nearest(const std::string &dir)
{
	if (auto it = near_.find(dir); it != near_.end())
		return it->second;
	int fd = -1;
	Result<UniqueFd> d = root_.openDirectory(dir);
	if (d) {
		if (owned_.size() < kStagingDirs && plainDirectory(d->get())) {
			fd = d->get();
			owned_.push_back(std::move(*d));
			ownedPaths_.push_back(dir);
		}
	} else if ((d.error().errnum() == ENOENT || d.error().errnum() == ENOTDIR) && dir != "/") {
		fd = nearest(go::pathDir(dir));
	}
	near_.emplace(dir, fd);
	return fd;
}

UniqueFd StagingArea::fileFor(const std::string &targetPath)
{
	std::lock_guard<std::mutex> lock(mutex_);
	if (!supported_)
		return UniqueFd();
	if (budget_ == 0 && !oldLimit_) {
		// Room for one open file per staged content, and kSpareFiles
		// for the rest.
		struct rlimit lim;
		if (::getrlimit(RLIMIT_NOFILE, &lim) == 0) {
			oldLimit_ = lim;
			struct rlimit raised = lim;
			rlim_t want = static_cast<rlim_t>(wanted_) + kSpareFiles;
			if (lim.rlim_cur != RLIM_INFINITY && want > lim.rlim_cur)
				raised.rlim_cur = lim.rlim_max == RLIM_INFINITY ? want : std::min(want, lim.rlim_max);
			if (raised.rlim_cur != lim.rlim_cur && ::setrlimit(RLIMIT_NOFILE, &raised) == 0)
				lim = raised;
			if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur > kSpareFiles)
				budget_ = static_cast<std::size_t>(lim.rlim_cur - kSpareFiles);
			else if (lim.rlim_cur == RLIM_INFINITY)
				budget_ = 1 << 20;
		}
	}
	if (budget_ == 0)
		return UniqueFd();
	int dir = nearest(go::pathDir(targetPath));
	if (dir < 0)
		return UniqueFd();
	UniqueFd fd(::openat(dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0644));
	if (!fd.isValid()) {
		// No O_TMPFILE here (overlayfs before Linux 6.6): the bytes stay
		// in memory and the commit writes them as before.
		if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
			supported_ = false;
		return UniqueFd();
	}
	// Ignition's CreateTemp file is chmodded 0644 whatever the umask.
	if (::fchmod(fd.get(), 0644) < 0)
		return UniqueFd();
	budget_--;
	return fd;
}

void StagingArea::flush()
{
	std::vector<std::string> dirs;
	{
		std::lock_guard<std::mutex> lock(mutex_);
		dirs = ownedPaths_;
	}
	// Best effort: the stage syncs everything at its end anyway.
	(void)root_.syncAll(dirs);
}

StagedContent::StagedContent(system::RootDir &root, std::string targetPath, StagingArea *area)
	: root_(root), area_(area), targetPath_(std::move(targetPath))
{
}

Result<void> StagedContent::spill()
{
	// The nearest existing directory above the target is on the
	// filesystem the file will be written to.
	std::string dir = go::pathDir(targetPath_);
	for (;;) {
		Result<UniqueFd> d = root_.openFollowing(dir, O_RDONLY | O_DIRECTORY);
		if (d) {
			Result<UniqueFd> f = anonymousFileIn(d->get());
			if (!f)
				return unexpected(f.error().withContext("staging " + root_.hostPath(targetPath_)));
			spillFd_ = std::move(*f);
			break;
		}
		if (dir == "/" || (d.error().errnum() != ENOENT && d.error().errnum() != ENOTDIR))
			return unexpected(d.error().withContext("staging " + root_.hostPath(targetPath_)));
		dir = go::pathDir(dir);
	}
	if (Result<void> r = writeAll(spillFd_.get(), memory_); !r)
		return r;
	std::string().swap(memory_);
	return {};
}

Result<void> StagedContent::write(std::string_view bytes)
{
	if (area_ && !spillFd_.isValid() && size_ == 0) {
		spillFd_ = area_->fileFor(targetPath_);
		linkable_ = spillFd_.isValid();
		area_ = nullptr; // asked once
	}
	size_ += bytes.size();
	if (!spillFd_.isValid()) {
		if (memory_.size() + bytes.size() <= kSpillBytes) {
			memory_.append(bytes);
			return {};
		}
		if (Result<void> r = spill(); !r)
			return r;
	}
	return writeAll(spillFd_.get(), bytes);
}

Result<void> StagedContent::rewind()
{
	size_ = 0;
	memory_.clear();
	if (spillFd_.isValid()) {
		if (::ftruncate(spillFd_.get(), 0) < 0 || ::lseek(spillFd_.get(), 0, SEEK_SET) < 0)
			return unexpected(errnoError("truncate spill file"));
	}
	return {};
}

std::string StagedContent::describe() const
{
	return "file " + go::quote(root_.hostPath(targetPath_));
}

void StagedContent::complete()
{
	if (linkable_)
		::sync_file_range(spillFd_.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
}

Result<void> StagedContent::copyTo(int fd) const
{
	if (!spillFd_.isValid())
		return writeAll(fd, memory_);
	// In-kernel copy (a reflink on btrfs and xfs); plain reads and writes
	// where copy_file_range cannot cross filesystems.
	loff_t in = 0;
	while (static_cast<std::uint64_t>(in) < size_) {
		ssize_t n = ::copy_file_range(spillFd_.get(), &in, fd, nullptr, size_ - static_cast<std::uint64_t>(in), 0);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EXDEV && errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS)
			return unexpected(errnoError("copy"));
		char buf[1 << 16];
		while (static_cast<std::uint64_t>(in) < size_) {
			ssize_t r = ::pread(spillFd_.get(), buf, sizeof(buf), in);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return unexpected(errnoError("read spill file"));
			if (Result<void> w = writeAll(fd, std::string_view(buf, static_cast<std::size_t>(r))); !w)
				return w;
			in += r;
		}
	}
	return {};
}

Result<void> fetchStaged(fetch::Fetcher &fetcher, std::vector<StagedFetch *> &fetches, std::size_t parallel,
			 const std::function<void()> &afterLocal)
{
	if (fetches.empty())
		return {};
	std::vector<fetch::Request> reqs;
	reqs.reserve(fetches.size());
	// Moved, not copied: inline contents make these megabytes of URLs.
	for (StagedFetch *f : fetches) {
		f->request.sink = f->content.get();
		reqs.push_back(std::move(f->request));
	}
	std::vector<Result<void>> results = fetcher.fetchAll(reqs, parallel, nullptr, afterLocal);
	std::optional<Error> first;
	std::size_t failures = 0;
	for (std::size_t i = 0; i < results.size(); i++) {
		if (results[i])
			continue;
		failures++;
		// Ignition's words: "Error fetching file %q: %v".
		const std::string what = fetches[i]->content->describe();
		LOG(Files, Critical) << "Error fetching " << what << ": " << results[i].error().message();
		if (!first)
			first = results[i].error().withContext("fetching " + what + " from " +
							       fetch::redactUrl(reqs[i].url));
	}
	if (!first)
		return {};
	if (failures > 1)
		first->context(std::to_string(failures) + " contents could not be fetched; nothing was written; first");
	else
		first->context("nothing was written");
	return unexpected(std::move(*first));
}

namespace {

// Ignition's ResolveNodeUidAndGid past the default: the node's id, else its
// name looked up in the target root; uid/gid come in as the default.
Result<void> resolveOwner(system::RootDir &root, const std::string &host, const config::Node &node, uid_t &uid,
			  gid_t &gid)
{
	auto ownerError = [&](std::string msg) {
		return unexpected("failed to determine correct uid and gid for " + host + ": " + msg);
	};
	if (node.user.id) {
		uid = static_cast<uid_t>(*node.user.id);
	} else if (node.user.name && !node.user.name->empty()) {
		std::optional<system::PasswdEntry> u = system::lookupUser(root, *node.user.name);
		if (!u)
			return ownerError("no such user " + go::quote(*node.user.name) + ": user: unknown user " +
					  *node.user.name + " (looked up in " + root.hostPath("/etc/passwd") +
					  " and " + root.hostPath("/usr/lib/passwd") + ")");
		uid = u->uid;
	}
	if (node.group.id) {
		gid = static_cast<gid_t>(*node.group.id);
	} else if (node.group.name && !node.group.name->empty()) {
		std::optional<system::GroupEntry> g = system::lookupGroup(root, *node.group.name);
		if (!g)
			return ownerError("no such group " + go::quote(*node.group.name) + ": group: unknown group " +
					  *node.group.name + " (looked up in " + root.hostPath("/etc/group") + " and " +
					  root.hostPath("/usr/lib/group") + ")");
		gid = g->gid;
	}
	return {};
}

} // namespace

Result<void> setPermissions(system::RootDir &root, std::string_view path, const config::Node &node,
			    std::optional<std::int64_t> mode)
{
	uid_t uid = 0;
	gid_t gid = 0;
	// Ignition's default owner is the current one, read with stat(2): for
	// a symlink, its target's (inside the root here; on the host in
	// Ignition). Missing: 0:0.
	if (Result<std::optional<struct stat>> st = root.stat(path); st && *st) {
		uid = (*st)->st_uid;
		gid = (*st)->st_gid;
	}
	std::string host = root.hostPath(path);
	if (Result<void> r = resolveOwner(root, host, node, uid, gid); !r)
		return r;
	if (Result<void> r = root.lchown(path, uid, gid); !r)
		return unexpected(r.error().withContext("failed to change ownership of " + host));
	if (mode) {
		if (Result<void> r = root.chmod(path, static_cast<mode_t>(*mode) & 07777); !r)
			return unexpected(r.error().withContext("failed to change mode of " + host));
	}
	return {};
}

Result<void> setFilePermissions(system::RootDir &root, int fd, std::string_view path, const config::Node &node,
				std::optional<std::int64_t> mode)
{
	std::string host = root.hostPath(path);
	struct stat st;
	if (::fstat(fd, &st) < 0)
		return unexpected(errnoError("stat " + host));
	uid_t uid = st.st_uid;
	gid_t gid = st.st_gid;
	if (Result<void> r = resolveOwner(root, host, node, uid, gid); !r)
		return r;
	// A new file not yet visible: a call that would change nothing (its
	// owner already, and no set-id bit for a chown to clear) is left out.
	const bool setId = (st.st_mode & (S_ISUID | S_ISGID)) != 0;
	if ((uid != st.st_uid || gid != st.st_gid || setId) && ::fchown(fd, uid, gid) < 0)
		return unexpected(errnoError("lchown " + host).withContext("failed to change ownership of " + host));
	const mode_t want = mode ? static_cast<mode_t>(*mode) & 07777 : 0;
	if (mode && (want != (st.st_mode & 07777) || setId) && ::fchmod(fd, want) < 0)
		return unexpected(errnoError("chmod " + host).withContext("failed to change mode of " + host));
	return {};
}

Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what)
{
	return log::logOperation(what, [&]() -> Result<void> {
		LOG(Files, Debug) << "executing: " << system::quotedCommand(argv);
		return system::runTool(argv);
	});
}

} // namespace flint::stages::files
