// RootDir: path resolution confined to a root (openat2 RESOLVE_IN_ROOT or an equivalent walk) and the operations on it.
#include "flint/system/root_dir.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

namespace flint::system {

namespace {

// The kernel's MAXSYMLINKS, so the walk gives up where openat2 does.
constexpr int kMaxSymlinks = 40;

// fchmodat2(2) (Linux 6.6) has the same number on every architecture but
// alpha; older headers lack it.
#ifdef SYS_fchmodat2
constexpr long kSysFchmodat2 = SYS_fchmodat2;
#else
constexpr long kSysFchmodat2 = 452;
#endif

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

Error pathError(std::string_view op, std::string_view path, int errnum)
{
	return errnoError(std::string(op) + " " + std::string(path), errnum);
}

// Go's filepath.Clean on an absolute path, as components: "." and empty
// components dropped, ".." removes the previous one and stops at the root.
Result<std::vector<std::string>> cleanComponents(std::string_view path, std::string_view op)
{
	if (path.empty() || path.front() != '/')
		return unexpected(Error(std::string(op) + " " + std::string(path) +
					": path is not absolute", EINVAL));
	std::vector<std::string> components;
	std::size_t pos = 0;
	while (pos < path.size()) {
		std::size_t end = path.find('/', pos);
		if (end == std::string_view::npos)
			end = path.size();
		std::string_view c = path.substr(pos, end - pos);
		pos = end + 1;
		if (c.empty() || c == ".")
			continue;
		if (c == "..") {
			if (!components.empty())
				components.pop_back();
			continue;
		}
		components.emplace_back(c);
	}
	return components;
}

std::string joinComponents(const std::vector<std::string> &components)
{
	if (components.empty())
		return "/";
	std::string out;
	for (const std::string &c : components)
		out += "/" + c;
	return out;
}

// readlinkat() growing its buffer until the target fits.
Result<std::string> readLinkAt(int dirFd, const char *name)
{
	std::string buf(256, '\0');
	for (;;) {
		ssize_t n = ::readlinkat(dirFd, name, buf.data(), buf.size());
		if (n < 0)
			return unexpected(errnoError("readlink"));
		if (static_cast<std::size_t>(n) < buf.size()) {
			buf.resize(n);
			return buf;
		}
		buf.resize(buf.size() * 2);
	}
}

// Removes every entry below dirFd without following symlinks; a
// subdirectory is opened O_NOFOLLOW, so a symlink swapped in fails instead
// of being descended into.
Result<void> removeChildren(int dirFd, const std::string &display)
{
	int listFd = ::openat(dirFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (listFd < 0)
		return unexpected(pathError("open", display, errno));
	DIR *dir = ::fdopendir(listFd);
	if (!dir) {
		int err = errno;
		::close(listFd);
		return unexpected(pathError("open", display, err));
	}
	// Collected first: deleting while reading may skip entries.
	std::vector<std::pair<std::string, bool>> entries;
	errno = 0;
	while (struct dirent *e = ::readdir(dir)) {
		std::string_view name = e->d_name;
		if (name == "." || name == "..")
			continue;
		entries.emplace_back(std::string(name), e->d_type == DT_DIR);
	}
	int err = errno;
	::closedir(dir);
	if (err)
		return unexpected(pathError("readdirent", display, err));

	for (const auto &[name, isDir] : entries) {
		std::string child = display + "/" + name;
		if (!isDir) {
			if (::unlinkat(dirFd, name.c_str(), 0) == 0 || errno == ENOENT)
				continue;
			// d_type may be DT_UNKNOWN; Linux reports a directory as EISDIR.
			if (errno != EISDIR)
				return unexpected(pathError("unlinkat", child, errno));
		}
		UniqueFd sub(::openat(dirFd, name.c_str(),
				      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
		if (!sub.isValid()) {
			if (errno == ENOENT)
				continue;
			return unexpected(pathError("open", child, errno));
		}
		Result<void> r = removeChildren(sub.get(), child);
		if (!r)
			return r;
		if (::unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT)
			return unexpected(pathError("unlinkat", child, errno));
	}
	return {};
}

// A hidden name beside `name`, unlikely to collide: a per-process random
// start and a counter, mixed (splitmix64), so writing many files costs no
// getrandom(2) each.
std::string hiddenTempName(std::string_view name)
{
	static std::uint64_t state = [] {
		std::uint64_t seed = 0;
		if (::getrandom(&seed, sizeof(seed), 0) != static_cast<ssize_t>(sizeof(seed)))
			seed = static_cast<std::uint64_t>(::getpid()) * 0x9e3779b97f4a7c15ull ^
			       static_cast<std::uint64_t>(::time(nullptr));
		return seed;
	}();
	// Threads may create temporary files at once; O_EXCL settles a clash.
	std::uint64_t z = __atomic_add_fetch(&state, 0x9e3779b97f4a7c15ull, __ATOMIC_RELAXED);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	char hex[13];
	std::snprintf(hex, sizeof(hex), "%012llx", static_cast<unsigned long long>(z & 0xffffffffffffull));
	// Keeps the name under NAME_MAX (255) whatever the target's length.
	return "." + std::string(name.substr(0, 200)) + ".tmp" + hex;
}

} // namespace

TempFile::TempFile(UniqueFd dir, std::string tempName, std::string targetName,
		   std::string displayPath, UniqueFd fd)
	: ownedDir_(std::move(dir)), dir_(ownedDir_.get()), tempName_(std::move(tempName)),
	  targetName_(std::move(targetName)), displayPath_(std::move(displayPath)), fd_(std::move(fd))
{
}

TempFile::TempFile(TempFile &&other) noexcept
	: ownedDir_(std::move(other.ownedDir_)), dir_(std::exchange(other.dir_, -1)),
	  tempName_(std::move(other.tempName_)), targetName_(std::move(other.targetName_)),
	  displayPath_(std::move(other.displayPath_)), fd_(std::move(other.fd_)),
	  committed_(other.committed_)
{
}

TempFile::~TempFile()
{
	if (!committed_ && dir_ >= 0)
		::unlinkat(dir_, tempName_.c_str(), 0);
}

Result<TempFile> TempFile::create(UniqueFd ownedDir, int dirFd, std::string_view name, std::string displayPath)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		std::string temp = hiddenTempName(name);
		UniqueFd fd(::openat(dirFd, temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
		if (!fd.isValid()) {
			if (errno == EEXIST)
				continue;
			return unexpected(pathError("open", displayPath, errno));
		}
		TempFile t(std::move(ownedDir), std::move(temp), std::string(name), std::move(displayPath),
			   std::move(fd));
		t.dir_ = dirFd;
		// Ignition chmods its CreateTemp file to 0644 whatever the umask.
		if (::fchmod(t.fd(), 0644) < 0)
			return unexpected(pathError("chmod", t.displayPath_, errno));
		return t;
	}
	return unexpected(pathError("open", displayPath, EEXIST));
}

Result<TempFile> TempFile::createIn(int dirFd, std::string_view name, std::string displayPath)
{
	return create(UniqueFd(), dirFd, name, std::move(displayPath));
}

Result<void> TempFile::commit(Sync sync)
{
	if (committed_ || dir_ < 0)
		return unexpected(Error("rename " + displayPath_ + ": temporary file already committed", EINVAL));
	if (sync == Sync::Now && ::fsync(fd_.get()) < 0)
		return unexpected(pathError("sync", displayPath_, errno));
	if (::renameat(dir_, tempName_.c_str(), dir_, targetName_.c_str()) < 0)
		return unexpected(pathError("rename", displayPath_, errno));
	committed_ = true;
	return {};
}

struct RootDir::Walk {
	UniqueFd dir;
	std::vector<std::string> names; // root-relative components actually reached
	std::vector<std::string> created;
	std::string leaf; // Follow mode: the last component, in dir; empty for dir itself
};

RootDir::RootDir(UniqueFd fd, std::string path, bool userspace)
	: fd_(std::move(fd)), path_(std::move(path)), userspace_(userspace)
{
}

RootDir::RootDir(RootDir &&other) noexcept
	: fd_(std::move(other.fd_)), path_(std::move(other.path_)), userspace_(other.userspace_.load())
{
}

RootDir &RootDir::operator=(RootDir &&other) noexcept
{
	fd_ = std::move(other.fd_);
	path_ = std::move(other.path_);
	userspace_.store(other.userspace_.load());
	return *this;
}

Result<RootDir> RootDir::open(const std::string &path, Resolver resolver)
{
	// The root itself is trusted host configuration (-root), so symlinks in
	// it are followed normally.
	UniqueFd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (!fd.isValid())
		return unexpected(pathError("open", path, errno));
	std::string display = path;
	while (display.size() > 1 && display.back() == '/')
		display.pop_back();
	return RootDir(std::move(fd), std::move(display), resolver == Resolver::Userspace);
}

Result<void> RootDir::syncAll(const std::vector<std::string> &paths)
{
	// The root's own fd is O_PATH, which syncfs(2) refuses. Other
	// filesystems under the root (a separate /var) have their own dirty
	// pages: one syncfs per distinct device.
	std::vector<std::string> all{ "/" };
	all.insert(all.end(), paths.begin(), paths.end());
	std::vector<dev_t> done;
	for (const std::string &p : all) {
		Result<UniqueFd> fd = openFollowing(p, O_RDONLY | O_DIRECTORY);
		struct stat st;
		if (!fd || ::fstat(fd->get(), &st) < 0)
			continue;
		if (std::find(done.begin(), done.end(), st.st_dev) != done.end())
			continue;
		done.push_back(st.st_dev);
		if (::syncfs(fd->get()) < 0)
			return unexpected(pathError("sync", hostPath(p), errno));
	}
	return {};
}

std::string RootDir::hostPath(std::string_view path) const
{
	if (path_ == "/")
		return std::string(path);
	return path_ + std::string(path);
}

// The component-by-component resolution: each component is opened
// O_PATH|O_NOFOLLOW beneath the directory reached so far; a symlink is read
// and its target's components queued in its place (from the root when
// absolute). The reached directories are kept as a stack of fds, so ".." pops
// one and can never climb above the root, and nothing is ever looked up by a
// host path.
Result<RootDir::Walk> RootDir::walk(const std::vector<std::string> &components, WalkMode mode,
				    mode_t createMode, std::string_view op, std::string_view display)
{
	std::deque<std::string> queue(components.begin(), components.end());

	Walk w;
	std::vector<UniqueFd> fds;
	bool missing = false;
	int links = 0;
	auto current = [&] { return fds.empty() ? fd_.get() : fds.back().get(); };

	while (!queue.empty()) {
		std::string name = std::move(queue.front());
		queue.pop_front();
		if (name.empty() || name == ".")
			continue;
		if (name == "..") {
			if (!w.names.empty())
				w.names.pop_back();
			if (fds.size() > w.names.size())
				fds.pop_back();
			if (missing && fds.size() == w.names.size())
				missing = false;
			continue;
		}
		if (missing) {
			// Lenient mode past a missing component: taken as written.
			w.names.push_back(name);
			continue;
		}
		// The path's last component once every link is expanded, which
		// Follow mode leaves to the caller unless it is a symlink.
		bool leaf = mode == WalkMode::Follow && queue.empty();

		std::string reached = joinComponents(w.names);
		std::string here = (reached == "/" ? "" : reached) + "/" + name;
		UniqueFd fd(::openat(current(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
		if (!fd.isValid()) {
			int err = errno;
			if (err == ENOENT && leaf) {
				w.leaf = std::move(name);
				break;
			}
			if (err == ENOENT && mode == WalkMode::Lenient) {
				missing = true;
				w.names.push_back(name);
				continue;
			}
			if (err != ENOENT || mode != WalkMode::Create)
				return unexpected(pathError(op, display, err));
			if (::mkdirat(current(), name.c_str(), createMode) == 0)
				w.created.push_back(here);
			else if (errno != EEXIST)
				return unexpected(pathError(op, hostPath(here), errno));
			fd.reset(::openat(current(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
			if (!fd.isValid())
				return unexpected(pathError(op, hostPath(here), errno));
		}

		struct stat st;
		if (::fstat(fd.get(), &st) < 0)
			return unexpected(pathError(op, hostPath(here), errno));
		if (S_ISLNK(st.st_mode)) {
			if (++links > kMaxSymlinks)
				return unexpected(pathError(op, display, ELOOP));
			Result<std::string> target = readLinkAt(fd.get(), "");
			if (!target)
				return unexpected(pathError(op, hostPath(here), target.error().errnum()));
			if (target->empty())
				return unexpected(pathError(op, hostPath(here), ENOENT));
			if (target->front() == '/') {
				w.names.clear();
				fds.clear();
			}
			std::vector<std::string> items;
			std::size_t pos = 0;
			while (pos <= target->size()) {
				std::size_t end = target->find('/', pos);
				if (end == std::string::npos)
					end = target->size();
				items.push_back(target->substr(pos, end - pos));
				pos = end + 1;
			}
			queue.insert(queue.begin(), items.begin(), items.end());
			continue;
		}
		if (leaf) {
			w.leaf = std::move(name);
			break;
		}
		if (!S_ISDIR(st.st_mode))
			return unexpected(pathError(op, hostPath(here), ENOTDIR));
		w.names.push_back(name);
		fds.push_back(std::move(fd));
	}

	if (!fds.empty() && fds.size() == w.names.size()) {
		w.dir = std::move(fds.back());
	} else if (mode != WalkMode::Lenient || !missing) {
		w.dir.reset(::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0));
		if (!w.dir.isValid())
			return unexpected(pathError(op, display, errno));
	}
	return w;
}

// openat2(RESOLVE_IN_ROOT) of the cleaned components: the kernel does what
// walk() does, in one call. nullopt when the walk has to do it instead.
std::optional<Result<UniqueFd>> RootDir::kernelOpen(const std::vector<std::string> &components, int flags,
						    mode_t mode, std::string_view op, std::string_view display)
{
	if (userspace_.load(std::memory_order_relaxed))
		return std::nullopt;
	std::string rel = components.empty() ? "." : joinComponents(components).substr(1);
	struct open_how how = {};
	how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
	// openat2 refuses a mode it would not use, and bits beyond 07777.
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		how.mode = mode & 07777;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	// EAGAIN: a concurrent rename made the kernel give up on "..".
	for (int attempt = 0; attempt < 16; attempt++) {
		long fd = ::syscall(SYS_openat2, fd_.get(), rel.c_str(), &how, sizeof(how));
		if (fd >= 0)
			return Result<UniqueFd>(UniqueFd(static_cast<int>(fd)));
		if (errno != EAGAIN)
			break;
	}
	// ENOSYS: Linux < 5.6, for good. EPERM: possibly a seccomp filter that
	// predates openat2 (as older container runtimes have); the walk either
	// succeeds or reports the real error, so only this call falls back.
	if (errno == ENOSYS)
		userspace_.store(true, std::memory_order_relaxed);
	else if (errno != EPERM)
		return Result<UniqueFd>(unexpected(pathError(op, display, errno)));
	return std::nullopt;
}

Result<UniqueFd> RootDir::openDir(const std::vector<std::string> &components, std::string_view op,
				  std::string_view display)
{
	if (std::optional<Result<UniqueFd>> fd = kernelOpen(components, O_PATH | O_DIRECTORY, 0, op, display))
		return std::move(*fd);
	Result<Walk> w = walk(components, WalkMode::Open, 0, op, display);
	if (!w)
		return unexpected(std::move(w.error()));
	return std::move(w->dir);
}

Result<RootDir::Parent> RootDir::parentOf(std::string_view path, std::string_view op)
{
	Result<std::vector<std::string>> components = cleanComponents(path, op);
	if (!components)
		return unexpected(std::move(components.error()));
	std::string display = hostPath(path);
	if (components->empty())
		return unexpected(Error(std::string(op) + " " + display + ": path is the root directory", EINVAL));
	std::string name = std::move(components->back());
	components->pop_back();
	Result<UniqueFd> dir = openDir(*components, op, display);
	if (!dir)
		return unexpected(std::move(dir.error()));
	return Parent{ std::move(*dir), std::move(name) };
}

Result<RootDir::Parent> RootDir::parentOf(std::string_view path)
{
	return parentOf(path, "open");
}

Result<std::string> RootDir::resolvedPath(std::string_view path)
{
	Result<std::vector<std::string>> components = cleanComponents(path, "resolve");
	if (!components)
		return unexpected(std::move(components.error()));
	if (components->empty())
		return std::string("/");
	std::string name = std::move(components->back());
	components->pop_back();
	Result<Walk> w = walk(*components, WalkMode::Lenient, 0, "resolve", hostPath(path));
	if (!w)
		return unexpected(std::move(w.error()));
	w->names.push_back(std::move(name));
	return joinComponents(w->names);
}

Result<std::vector<std::string>> RootDir::mkdirAll(std::string_view path, mode_t mode)
{
	Result<std::vector<std::string>> components = cleanComponents(path, "mkdir");
	if (!components)
		return unexpected(std::move(components.error()));
	Result<Walk> w = walk(*components, WalkMode::Create, mode, "mkdir", hostPath(path));
	if (!w)
		return unexpected(std::move(w.error()));
	return std::move(w->created);
}

Result<void> RootDir::mkdir(std::string_view path, mode_t mode)
{
	Result<Parent> p = parentOf(path, "mkdir");
	if (!p)
		return unexpected(std::move(p.error()));
	if (::mkdirat(p->dir.get(), p->name.c_str(), mode) < 0)
		return unexpected(pathError("mkdir", hostPath(path), errno));
	return {};
}

Result<void> RootDir::symlink(std::string_view target, std::string_view path)
{
	std::string op = "symlink " + std::string(target);
	Result<Parent> p = parentOf(path, op);
	if (!p)
		return unexpected(std::move(p.error()));
	if (::symlinkat(std::string(target).c_str(), p->dir.get(), p->name.c_str()) < 0)
		return unexpected(pathError(op, hostPath(path), errno));
	return {};
}

Result<void> RootDir::hardlink(std::string_view targetPath, std::string_view path)
{
	std::string op = "link " + hostPath(targetPath);
	Result<Parent> t = parentOf(targetPath, op);
	if (!t)
		return unexpected(std::move(t.error()));
	Result<Parent> p = parentOf(path, op);
	if (!p)
		return unexpected(std::move(p.error()));
	if (::linkat(t->dir.get(), t->name.c_str(), p->dir.get(), p->name.c_str(), 0) < 0)
		return unexpected(pathError(op, hostPath(path), errno));
	return {};
}

Result<void> RootDir::removeAll(std::string_view path)
{
	Result<Parent> p = parentOf(path, "unlinkat");
	if (!p) {
		// A missing ancestor means there is nothing to remove.
		if (p.error().errnum() == ENOENT)
			return {};
		return unexpected(std::move(p.error()));
	}
	std::string display = hostPath(path);
	struct stat st;
	if (::fstatat(p->dir.get(), p->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return {};
		return unexpected(pathError("lstat", display, errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		if (::unlinkat(p->dir.get(), p->name.c_str(), 0) < 0 && errno != ENOENT)
			return unexpected(pathError("unlinkat", display, errno));
		return {};
	}
	UniqueFd dir(::openat(p->dir.get(), p->name.c_str(),
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (!dir.isValid())
		return unexpected(pathError("open", display, errno));
	Result<void> r = removeChildren(dir.get(), display);
	if (!r)
		return r;
	if (::unlinkat(p->dir.get(), p->name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT)
		return unexpected(pathError("unlinkat", display, errno));
	return {};
}

Result<void> RootDir::lchown(std::string_view path, uid_t uid, gid_t gid)
{
	Result<Parent> p = parentOf(path, "lchown");
	if (!p)
		return unexpected(std::move(p.error()));
	if (::fchownat(p->dir.get(), p->name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return unexpected(pathError("lchown", hostPath(path), errno));
	return {};
}

Result<void> RootDir::chmod(std::string_view path, mode_t mode)
{
	Result<Parent> p = parentOf(path, "chmod");
	if (!p)
		return unexpected(std::move(p.error()));
	std::string display = hostPath(path);
	// Pinning the inode with O_PATH|O_NOFOLLOW means a symlink is seen as
	// one (and refused) instead of the kernel following it to the host.
	UniqueFd fd(::openat(p->dir.get(), p->name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
	if (!fd.isValid())
		return unexpected(pathError("chmod", display, errno));
	struct stat st;
	if (::fstat(fd.get(), &st) < 0)
		return unexpected(pathError("chmod", display, errno));
	if (S_ISLNK(st.st_mode))
		return unexpected(Error("chmod " + display + ": is a symlink, refusing to follow it", ELOOP));
	// fchmod() does not take O_PATH fds; fchmodat2 with AT_EMPTY_PATH does
	// (Linux 6.6), and /proc/self/fd/N reaches the same inode before that.
	if (::syscall(kSysFchmodat2, fd.get(), "", mode & 07777, AT_EMPTY_PATH) == 0)
		return {};
	if (errno != ENOSYS && errno != EINVAL)
		return unexpected(pathError("chmod", display, errno));
	std::string procPath = "/proc/self/fd/" + std::to_string(fd.get());
	if (::fchmodat(AT_FDCWD, procPath.c_str(), mode & 07777, 0) < 0)
		return unexpected(pathError("chmod", display, errno));
	return {};
}

Result<std::optional<struct stat>> RootDir::lstat(std::string_view path)
{
	std::string display = hostPath(path);
	struct stat st;
	Result<std::vector<std::string>> components = cleanComponents(path, "lstat");
	if (!components)
		return unexpected(std::move(components.error()));
	if (components->empty()) {
		if (::fstat(fd_.get(), &st) < 0)
			return unexpected(pathError("lstat", display, errno));
		return std::optional<struct stat>(st);
	}
	Result<Parent> p = parentOf(path, "lstat");
	if (!p) {
		if (p.error().errnum() == ENOENT)
			return std::optional<struct stat>();
		return unexpected(std::move(p.error()));
	}
	if (::fstatat(p->dir.get(), p->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return std::optional<struct stat>();
		return unexpected(pathError("lstat", display, errno));
	}
	return std::optional<struct stat>(st);
}

Result<std::string> RootDir::readlink(std::string_view path)
{
	Result<Parent> p = parentOf(path, "readlink");
	if (!p)
		return unexpected(std::move(p.error()));
	Result<std::string> target = readLinkAt(p->dir.get(), p->name.c_str());
	if (!target)
		return unexpected(pathError("readlink", hostPath(path), target.error().errnum()));
	return target;
}

Result<UniqueFd> RootDir::openFollowing(std::string_view path, int flags, mode_t mode, std::string_view op)
{
	Result<std::vector<std::string>> components = cleanComponents(path, op);
	if (!components)
		return unexpected(std::move(components.error()));
	std::string display = hostPath(path);
	if (std::optional<Result<UniqueFd>> fd = kernelOpen(*components, flags, mode, op, display))
		return std::move(*fd);

	UniqueFd dir;
	std::string leaf;
	// open(2) does not follow a last symlink under O_NOFOLLOW (ELOOP, or the
	// link itself with O_PATH) or O_CREAT|O_EXCL (EEXIST); openat2 neither.
	bool followLast = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	if (followLast || components->empty()) {
		Result<Walk> w = walk(*components, WalkMode::Follow, 0, op, display);
		if (!w)
			return unexpected(std::move(w.error()));
		dir = std::move(w->dir);
		leaf = std::move(w->leaf);
	} else {
		Result<Parent> p = parentOf(path, op);
		if (!p)
			return unexpected(std::move(p.error()));
		dir = std::move(p->dir);
		leaf = std::move(p->name);
	}
	// O_NOFOLLOW: a symlink swapped in since the walk looked fails (ELOOP)
	// rather than being followed out of the root by the kernel.
	UniqueFd fd(::openat(dir.get(), leaf.empty() ? "." : leaf.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode));
	if (!fd.isValid())
		return unexpected(pathError(op, display, errno));
	return fd;
}

Result<UniqueFd> RootDir::openFollowing(std::string_view path, int flags, mode_t mode)
{
	return openFollowing(path, flags, mode, "open");
}

Result<std::optional<std::string>> RootDir::readFile(std::string_view path)
{
	// O_NONBLOCK: a FIFO planted in the image is opened without waiting for
	// a writer, then refused below.
	Result<UniqueFd> fd = openFollowing(path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0, "open");
	if (!fd) {
		if (fd.error().errnum() == ENOENT || fd.error().errnum() == ENOTDIR)
			return std::optional<std::string>();
		return unexpected(std::move(fd.error()));
	}
	std::string display = hostPath(path);
	struct stat st;
	if (::fstat(fd->get(), &st) < 0)
		return unexpected(pathError("read", display, errno));
	if (!S_ISREG(st.st_mode))
		return unexpected(Error("read " + display + ": not a regular file", EINVAL));
	std::string text;
	char buf[8192];
	for (;;) {
		ssize_t n = ::read(fd->get(), buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return unexpected(pathError("read", display, errno));
		if (n == 0)
			break;
		text.append(buf, static_cast<std::size_t>(n));
	}
	return std::optional<std::string>(std::move(text));
}

Result<std::optional<struct stat>> RootDir::stat(std::string_view path)
{
	Result<UniqueFd> fd = openFollowing(path, O_PATH, 0, "stat");
	if (!fd) {
		if (fd.error().errnum() == ENOENT)
			return std::optional<struct stat>();
		return unexpected(std::move(fd.error()));
	}
	struct stat st;
	if (::fstat(fd->get(), &st) < 0)
		return unexpected(pathError("stat", hostPath(path), errno));
	return std::optional<struct stat>(st);
}

Result<UniqueFd> RootDir::openAppend(std::string_view path)
{
	Result<Parent> p = parentOf(path, "open");
	if (!p)
		return unexpected(std::move(p.error()));
	std::string display = hostPath(path);
	// O_NONBLOCK so a FIFO planted in the image cannot hang the stage; it is
	// cleared once the file is known to be regular.
	UniqueFd fd(::openat(p->dir.get(), p->name.c_str(),
			     O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
			     0644));
	if (!fd.isValid()) {
		if (errno == ELOOP)
			return unexpected(Error("open " + display + ": is a symlink, refusing to follow it", ELOOP));
		return unexpected(pathError("open", display, errno));
	}
	struct stat st;
	if (::fstat(fd.get(), &st) < 0)
		return unexpected(pathError("open", display, errno));
	if (!S_ISREG(st.st_mode))
		return unexpected(Error("open " + display + ": not a regular file", EINVAL));
	int flags = ::fcntl(fd.get(), F_GETFL);
	if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) < 0)
		return unexpected(pathError("open", display, errno));
	return fd;
}

Result<TempFile> RootDir::createTempBeside(std::string_view path)
{
	Result<Parent> p = parentOf(path, "open");
	if (!p)
		return unexpected(std::move(p.error()));
	int dir = p->dir.get();
	return TempFile::create(std::move(p->dir), dir, p->name, hostPath(path));
}

Result<UniqueFd> RootDir::openDirectory(std::string_view path)
{
	Result<std::vector<std::string>> components = cleanComponents(path, "open");
	if (!components)
		return unexpected(std::move(components.error()));
	return openDir(*components, "open", hostPath(path));
}

} // namespace flint::system
