// RootDir: filesystem access confined to a target root (-root) that no path or symlink can escape.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>
#include <vector>

#include "flint/base/result.h"
#include "flint/base/unique_fd.h"

namespace flint::system {

using flint::UniqueFd;


// A file being written beside its final path; it becomes visible only on
// commit(), so readers never see a half-written file (Ignition writes to a
// CreateTemp file and renames it over the target). Until committed, the
// destructor removes it.
class RootDir;

class TempFile final
{
public:
	TempFile(UniqueFd dir, std::string tempName, std::string targetName,
		 std::string displayPath, UniqueFd fd);
	// An empty, hidden 0644 file beside `name` in the open directory dirFd,
	// which is borrowed: it must outlive the TempFile. For writing many
	// files into one directory without resolving its path each time.
	[[nodiscard]] static Result<TempFile> createIn(int dirFd, std::string_view name, std::string displayPath);
	~TempFile();
	TempFile(TempFile &&) noexcept;
	TempFile &operator=(TempFile &&) = delete;
	TempFile(const TempFile &) = delete;
	TempFile &operator=(const TempFile &) = delete;

	// Open O_RDWR; stays valid (and refers to the target) after commit().
	int fd() const { return fd_.get(); }
	const std::string &tempName() const { return tempName_; }

	enum class Sync {
		Now,      // fsync before the rename
		Deferred, // the caller syncs the filesystem once at the end (syncAll)
	};

	// fsyncs the file (unless deferred) and renames it over the target.
	[[nodiscard]] Result<void> commit(Sync sync = Sync::Now);

private:
	friend class RootDir;
	[[nodiscard]] static Result<TempFile> create(UniqueFd ownedDir, int dirFd, std::string_view name,
						     std::string displayPath);

	UniqueFd ownedDir_;
	int dir_ = -1; // ownedDir_'s, or a borrowed one
	std::string tempName_;
	std::string targetName_;
	std::string displayPath_;
	UniqueFd fd_;
	bool committed_ = false;
};

// A directory handle that every path is resolved beneath, as if it were "/".
//
// Paths are absolute within the root and cleaned lexically first (as Go's
// filepath.Join does in Ignition's JoinPath). Symlinks in every component but
// the last are followed as if chrooted at the root: absolute targets restart
// at the root, ".." stops at the root, at most 40 links (then ELOOP). The last
// component is not followed, operations acting on (parent fd, name), except
// by openFollowing(), readFile() and stat(), which resolve the whole path
// (the last component included) the same confined way.
//
// Resolution uses openat2(RESOLVE_IN_ROOT) where the kernel has it (Linux
// >= 5.6) and an equivalent component-by-component walk otherwise.
// Errors read "<op> <root><path>: <reason>", as Go's *os.PathError would
// print the joined path.
class RootDir final
{
public:
	enum class Resolver {
		Auto,      // openat2, falling back to the walk on ENOSYS
		Userspace, // always the walk (kernels < 5.6; tests)
	};

	// The resolved parent directory of a path and the last component's name.
	struct Parent {
		UniqueFd dir; // O_PATH; usable as the dirfd of *at() calls
		std::string name;
	};

	[[nodiscard]] static Result<RootDir> open(const std::string &path,
						  Resolver resolver = Resolver::Auto);

	RootDir(RootDir &&other) noexcept;
	RootDir &operator=(RootDir &&other) noexcept;
	RootDir(const RootDir &) = delete;
	RootDir &operator=(const RootDir &) = delete;

	int fd() const { return fd_.get(); }
	const std::string &path() const { return path_; }
	// True once openat2 is known to be unavailable or the walk was requested.
	bool usesUserspaceWalk() const { return userspace_.load(std::memory_order_relaxed); }

	// syncfs(2) on the root's filesystem and on each filesystem mounted
	// below the paths given (root-relative), for writers that deferred
	// their fsyncs: one flush instead of one per file.
	[[nodiscard]] Result<void> syncAll(const std::vector<std::string> &paths = {});

	// The host path for a root-relative path, for messages.
	std::string hostPath(std::string_view path) const;

	[[nodiscard]] Result<Parent> parentOf(std::string_view path);
	// An O_PATH handle on the directory at path, every symlink on the way
	// (the last included) followed inside the root; for the *at() calls of
	// callers that put many entries into one directory.
	[[nodiscard]] Result<UniqueFd> openDirectory(std::string_view path);

	// The root-relative path the entry lands at once the symlinks in its
	// leading components are followed, e.g. "/etc/x" with etc -> /usr/etc
	// gives "/usr/etc/x". Components that do not exist yet are taken as
	// written. Always uses the walk, since it must name what it crossed.
	[[nodiscard]] Result<std::string> resolvedPath(std::string_view path);

	// Creates path and its missing ancestors with mode (before umask), as
	// Ignition's MkdirAll(Dir(JoinPath(p))) creates leading directories:
	// every symlink on the way, the last one included, is followed inside
	// the root, and a dangling one is created through (/etc -> /usr/etc
	// creates /usr/etc). Ignition's directories stage instead fails on a
	// dangling last component; a caller wanting that checks lstat() first.
	// Returns the root-relative paths created, outermost first, for
	// SELinux relabelling.
	[[nodiscard]] Result<std::vector<std::string>> mkdirAll(std::string_view path, mode_t mode);

	[[nodiscard]] Result<void> mkdir(std::string_view path, mode_t mode);
	// The target is stored verbatim and may be relative.
	[[nodiscard]] Result<void> symlink(std::string_view target, std::string_view path);
	// Hard-links path to targetPath, both resolved inside the root; a symlink
	// as targetPath's last component is linked itself, as link(2) does.
	[[nodiscard]] Result<void> hardlink(std::string_view targetPath, std::string_view path);
	// Removes path and everything below it without following any symlink;
	// absent is success. Refuses "/".
	[[nodiscard]] Result<void> removeAll(std::string_view path);
	// uid/gid of (uid_t)-1 / (gid_t)-1 leave that id unchanged.
	[[nodiscard]] Result<void> lchown(std::string_view path, uid_t uid, gid_t gid);
	// Refuses a symlink rather than changing what it points to.
	[[nodiscard]] Result<void> chmod(std::string_view path, mode_t mode);
	// nullopt if the entry (or its parent) does not exist.
	[[nodiscard]] Result<std::optional<struct stat>> lstat(std::string_view path);
	[[nodiscard]] Result<std::string> readlink(std::string_view path);

	// Opens path as openat(2) would with flags (O_CLOEXEC always added, mode
	// used with O_CREAT), following symlinks in every component, the last
	// included, without leaving the root: a dangling last link with O_CREAT
	// creates its target inside the root. As open(2), O_NOFOLLOW or
	// O_CREAT|O_EXCL act on a symlink as the last component instead.
	[[nodiscard]] Result<UniqueFd> openFollowing(std::string_view path, int flags, mode_t mode = 0);
	// The whole contents of the regular file at path, symlinks followed as
	// by openFollowing(); nullopt when it or a parent does not exist
	// (ENOENT, ENOTDIR, a dangling link). A FIFO or other non-regular file
	// is an error, never waited on.
	[[nodiscard]] Result<std::optional<std::string>> readFile(std::string_view path);
	// As lstat() but following symlinks as openFollowing() does; nullopt if
	// the entry, a parent or a link's target does not exist.
	[[nodiscard]] Result<std::optional<struct stat>> stat(std::string_view path);

	// Opens a regular file for appending, creating it 0644; fails on a
	// symlink or any other non-regular file.
	[[nodiscard]] Result<UniqueFd> openAppend(std::string_view path);
	// An empty, hidden (".<name>.<random>") 0644 file in path's parent.
	[[nodiscard]] Result<TempFile> createTempBeside(std::string_view path);

private:
	RootDir(UniqueFd fd, std::string path, bool userspace);

	struct Walk;
	// Open: every component an existing directory. Lenient: missing ones
	// taken as written. Create: missing ones created. Follow: the last
	// component may be anything or missing and is returned as Walk::leaf.
	enum class WalkMode { Open, Lenient, Create, Follow };

	std::optional<Result<UniqueFd>> kernelOpen(const std::vector<std::string> &components, int flags,
						   mode_t mode, std::string_view op, std::string_view display);
	Result<UniqueFd> openDir(const std::vector<std::string> &components, std::string_view op,
				 std::string_view display);
	Result<UniqueFd> openFollowing(std::string_view path, int flags, mode_t mode, std::string_view op);
	Result<Walk> walk(const std::vector<std::string> &components, WalkMode mode, mode_t createMode,
			  std::string_view op, std::string_view display);
	Result<Parent> parentOf(std::string_view path, std::string_view op);

	UniqueFd fd_;
	std::string path_;
	// Threads share a RootDir (the files stage stages and writes from
	// two); the first ENOSYS switches them all to the walk.
	std::atomic<bool> userspace_;
};

} // namespace flint::system
