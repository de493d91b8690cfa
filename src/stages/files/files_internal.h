// Pieces of the files stage shared between its steps; private to src/stages/files.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
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

	// Runs setfiles on everything added (sorted, duplicates dropped).
	[[nodiscard]] Result<void> run(system::RootDir &root) const;

private:
	std::string policy_;
	std::vector<std::string> paths_;
};

// Contents fetched before the stage changes anything. Kept in memory while
// small; past kSpillBytes moved into an unlinked file on the filesystem the
// target will live on, so a large download costs neither RAM (the initramfs
// is RAM) nor a visible name anywhere.
class StagedContent final : public fetch::Sink
{
public:
	static constexpr std::size_t kSpillBytes = 1 << 20;

	// `root` is borrowed; `targetPath` says where the spill file may go.
	StagedContent(system::RootDir &root, std::string targetPath);

	Result<void> write(std::string_view bytes) override;
	Result<void> rewind() override;

	std::uint64_t size() const { return size_; }
	// Appends everything to fd at its current offset.
	[[nodiscard]] Result<void> copyTo(int fd) const;

private:
	[[nodiscard]] Result<void> spill();

	system::RootDir &root_;
	std::string targetPath_;
	std::string memory_;
	UniqueFd spillFd_;
	std::uint64_t size_ = 0;
};

// Fetches `res` for a file at `targetPath` later; the fetch itself happens
// in fetchStaged, all at once.
struct StagedFetch {
	std::string what; // "file \"/sysroot/etc/x\"", for errors
	fetch::Request request;
	std::unique_ptr<StagedContent> content;
};

// Runs every fetch (in parallel, bounded), logs each failure and returns the
// first one with a count of the others. Nothing in the root is visible yet.
[[nodiscard]] Result<void> fetchStaged(fetch::Fetcher &fetcher, std::vector<StagedFetch *> &fetches,
				       std::size_t parallel);

// Resolves a node's owner as Ignition's ResolveNodeUidAndGid: the id, else
// the name looked up in the target root, else the current owner of the
// path (0:0 when it does not exist). Then lchown, then chmod when mode is
// given (Ignition HEAD's order, so setuid/setgid survive).
[[nodiscard]] Result<void> setPermissions(system::RootDir &root, std::string_view path, const config::Node &node,
					  std::optional<std::int64_t> mode);

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
[[nodiscard]] Result<void> applyEntries(EntryPlan &plan, system::RootDir &root, Relabeler &relabel);

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
