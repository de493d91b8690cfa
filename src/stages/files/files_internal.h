// Pieces of the files stage shared between its steps; private to src/stages/files.
#pragma once

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/log.h"
#include "flint/base/result.h"
#include "flint/base/unique_fd.h"
#include "flint/config/types.h"
#include "flint/fetch/fetcher.h"
#include "flint/stages/files.h"
#include "flint/system/root_dir.h"

FLINT_LOG_DECLARE_CATEGORY(Files)

namespace flint::stages::files {

// Go's *bool as the stage reads it: nil is false.
inline bool isTrue(const config::OptBool &b) { return b.value_or(false); }
inline bool isFalse(const config::OptBool &b) { return b && !*b; }

// Paths (root-relative) to relabel at the end of the stage; collecting is a
// no-op when the root has no SELinux policy.
class Relabeler final
{
public:
	// Reads <root>/etc/selinux/config. No file: relabelling is off. A file
	// without a usable SELINUXTYPE= is an error, reported before the stage
	// changes anything (Ignition finds out at the very end).
	[[nodiscard]] static Result<Relabeler> forRoot(system::RootDir &root);

	bool enabled() const { return !policy_.empty(); }
	const std::string &policy() const { return policy_; }

	void add(std::string path);
	// Adds the first component of `path` that does not exist yet (path
	// itself when its parent exists), as Ignition's relabelPath does.
	void addFirstMissing(system::RootDir &root, std::string_view path);

	// Takes the paths another Relabeler of the same root collected.
	void absorb(Relabeler &&other);

	// Runs setfiles on everything added (sorted, duplicates dropped).
	[[nodiscard]] Result<void> run(system::RootDir &root) const;

private:
	std::string policy_;
	std::vector<std::string> paths_;
};

// Anonymous files (O_TMPFILE) for the new files' contents, made while the
// stage still waits on the network and linked into place at commit, so the
// commit only names them. Each is made in the nearest directory above its
// target that exists now, and only where a file made there gets what it
// would get in its own directory: no setgid or default-ACL directory, no
// grpid mount. Bounded by the open-file limit (raised, up to its hard
// limit, as far as expect() says, while the area lives). Thread-safe.
class StagingArea final
{
public:
	explicit StagingArea(system::RootDir &root);
	~StagingArea();
	StagingArea(const StagingArea &) = delete;
	StagingArea &operator=(const StagingArea &) = delete;

	// How many files may be asked for: the open-file limit is raised only
	// as far as they need (children inherit it).
	void expect(std::size_t files) { wanted_ = files; }
	// A new 0644 O_TMPFILE for a file at targetPath; invalid when staging
	// does not apply there (the caller keeps the bytes in memory then).
	UniqueFd fileFor(const std::string &targetPath);
	// Writes out what was staged (syncfs of each filesystem used), so
	// shadow-utils' fsyncs and the final sync do not wait for it later.
	void flush();

private:
	// The nearest existing directory at or above `dir`: an O_PATH fd, or
	// -1 when files must not be staged there.
	int nearest(const std::string &dir);

	system::RootDir &root_;
	std::mutex mutex_;
	// The directory -> the fd of its nearest existing one (in owned_), or
	// -1: not staged there.
	std::map<std::string, int> near_;
	std::vector<UniqueFd> owned_;
	std::vector<std::string> ownedPaths_;
	std::size_t budget_ = 0;
	std::size_t wanted_ = 0;
	std::optional<struct rlimit> oldLimit_;
	bool supported_ = true;
};

// Whether files made in the directory dirFd (any fd, O_PATH too) get
// exactly the stage's own uid/gid and the mode asked for: not setgid, no
// default ACL, not on a grpid mount. Unknown counts as no.
bool plainDirectory(int dirFd);

// Contents fetched before the stage changes anything. Kept in memory while
// small; past kSpillBytes moved into an unlinked file on the filesystem the
// target will live on, so a large download costs neither RAM (the initramfs
// is RAM) nor a visible name anywhere.
class StagedContent final : public fetch::Sink
{
public:
	static constexpr std::size_t kSpillBytes = 1 << 20;

	// `root` is borrowed; `targetPath` says where the spill file may go.
	// With `area`, the bytes go straight into an anonymous file from it
	// (when it gives one), for the commit to link into place.
	StagedContent(system::RootDir &root, std::string targetPath, StagingArea *area = nullptr);

	Result<void> write(std::string_view bytes) override;
	Result<void> rewind() override;
	// Starts writing a staged file out (sync_file_range), so the data is
	// on its way while the network is still waited on, and neither
	// shadow-utils' fsyncs nor the final syncfs wait for it.
	void complete() override;

	std::uint64_t size() const { return size_; }
	// "file \"/sysroot/etc/x\"", for errors.
	std::string describe() const;
	// Appends everything to fd at its current offset.
	[[nodiscard]] Result<void> copyTo(int fd) const;
	// The staging area's O_TMPFILE holding all the bytes, or -1.
	int linkableFd() const { return linkable_ ? spillFd_.get() : -1; }
	// The staged file is linked into place: its descriptor is closed
	// (the open-file table every spawned tool copies shrinks with it).
	void linked()
	{
		linkable_ = false;
		spillFd_.reset();
	}

private:
	[[nodiscard]] Result<void> spill();

	system::RootDir &root_;
	StagingArea *area_ = nullptr;
	bool linkable_ = false;
	std::string targetPath_;
	std::string memory_;
	UniqueFd spillFd_;
	std::uint64_t size_ = 0;
};

// Fetches `res` for a file at `targetPath` later; the fetch itself happens
// in fetchStaged, all at once.
struct StagedFetch {
	fetch::Request request; // moved out by fetchStaged
	std::unique_ptr<StagedContent> content;
};

// Runs every fetch (in parallel, bounded), logs each failure and returns the
// first one with a count of the others. Nothing in the root is visible yet.
// `afterLocal` runs once the data: URLs are in, while network fetches
// may still be waited on (Fetcher::fetchAll).
[[nodiscard]] Result<void> fetchStaged(fetch::Fetcher &fetcher, std::vector<StagedFetch *> &fetches,
				       std::size_t parallel, const std::function<void()> &afterLocal = {});

// Resolves a node's owner as Ignition's ResolveNodeUidAndGid: the id, else
// the name looked up in the target root, else the current owner of the
// path (0:0 when it does not exist). Then lchown, then chmod when mode is
// given (Ignition HEAD's order, so setuid/setgid survive).
[[nodiscard]] Result<void> setPermissions(system::RootDir &root, std::string_view path, const config::Node &node,
					  std::optional<std::int64_t> mode);

// setPermissions for a regular file not yet renamed into place, through
// its open fd: the same owner, mode and order, with fd's owner as the
// current one (a new file's: the stage's, or a setgid parent's group).
[[nodiscard]] Result<void> setFilePermissions(system::RootDir &root, int fd, std::string_view path,
					      const config::Node &node, std::optional<std::int64_t> mode);

// Ignition's LogCmd: an op that runs argv and logs it at DEBUG first.
[[nodiscard]] Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what);

// The steps, in the order runFiles calls them.

enum class Kind { File, Directory, Link };

// One entry of the creation list. `path` is where the config's path lands
// inside the root once the symlinks already in the root are followed
// (Ignition's JoinPath), root-relative.
struct Entry {
	Kind kind = Kind::File;
	std::string path;
	std::size_t depth = 0;
	const config::File *file = nullptr;
	const config::Directory *dir = nullptr;
	const config::Link *link = nullptr;
	// Files: the contents (nullptr when there is no source) and the
	// append fragments, fetched before anything changes.
	std::unique_ptr<StagedFetch> contents;
	std::vector<std::unique_ptr<StagedFetch>> appends;
	// Written while the users are created (markEarlyEntries).
	bool early = false;

	const config::Node &node() const
	{
		if (file)
			return *file;
		if (dir)
			return *dir;
		return *link;
	}
};

// The ordered creation list.
class EntryPlan final
{
public:
	explicit EntryPlan(system::RootDir &root) : staging(root) {}
	// Declared first: the staged contents' files close before it goes.
	StagingArea staging;
	std::vector<Entry> entries;
	// The distinct directories files were written to, for the final sync.
	std::vector<std::string> writtenDirs() const;
};

// Plans storage.files/directories/links: resolves paths, checks duplicates,
// orders them, and stages every content fetch. Does not change the root.
[[nodiscard]] Result<std::unique_ptr<EntryPlan>> planEntries(const config::Storage &storage, system::RootDir &root);
std::vector<StagedFetch *> stagedFetches(EntryPlan &plan);
// Fails when an entry names an owner that is neither in the root's passwd
// or group files nor among the users and groups the config creates, so a
// typo fails the stage before anything changes (Ignition finds out when it
// reaches that entry).
[[nodiscard]] Result<void> checkOwnerNames(const EntryPlan &plan, const config::Passwd &passwd, system::RootDir &root);
// Marks the entries that may be written while shadow-utils creates the
// users and groups, because nothing either side does can change what the
// other does or sees: no owner given by name (resolved after the users
// exist), not a hard link (those come last), not in, above or below a
// place the tools read or write (/etc, /usr, /lib*, /bin, /sbin, /var,
// /home, /root, /run, /tmp, /proc, /sys, /dev, useradd's HOME and SKEL, the
// homes of the config's users, each as written and as resolved), and no
// link of the config or entry not marked above them. Returns how many.
std::size_t markEarlyEntries(EntryPlan &plan, const config::Passwd &passwd, system::RootDir &root);

// Which entries applyEntries writes: all (in order), or the early ones,
// or the others (in order, after the early ones).
enum class EntryPass { All, Early, Late };
[[nodiscard]] Result<void> applyEntries(EntryPlan &plan, system::RootDir &root, Relabeler &relabel,
					EntryPass pass = EntryPass::All);

// storage.luks: what Ignition's createCrypttabEntries writes, worked out
// (UUIDs probed, persisted keys decoded, existing files checked) before
// anything changes.
struct LuksPlan {
	struct KeyFile {
		std::string volume;
		std::string path; // root-relative: /etc/luks/<name>
		std::string key;  // the decoded bytes
		bool present = false; // already there with these bytes (a rerun)
	};
	std::vector<KeyFile> keys;
	// "<name> UUID=<uuid> <keyfile|none> luks[,_netdev],x-initrd.attach",
	// each with its newline; lines crypttab already has are left out.
	std::vector<std::string> lines;
	std::size_t volumes = 0;
	std::string crypttab; // root-relative, symlinks in its parents followed
	bool crypttabExists = false;
	bool crypttabNeedsNewline = false; // an existing last line lacks its '\n'
	bool createKeyDir = false;
};
[[nodiscard]] Result<LuksPlan> planLuks(const std::vector<config::Luks> &volumes, const FilesContext &ctx);
[[nodiscard]] Result<void> applyLuks(const LuksPlan &plan, system::RootDir &root, Relabeler &relabel);

[[nodiscard]] Result<void> applyPasswd(const config::Passwd &passwd, const FilesContext &ctx, Relabeler &relabel);
[[nodiscard]] Result<void> applyUnits(const config::Systemd &systemd, system::RootDir &root, Relabeler &relabel);
[[nodiscard]] Result<void> writeResultFile(const FilesContext &ctx, Relabeler &relabel);

} // namespace flint::stages::files
