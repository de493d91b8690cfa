// storage.files, directories and links: planned, fetched first, then applied by depth.
#include "files_internal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <system_error>
#include <thread>

#include "flint/base/go.h"
#include "flint/system/passwd.h"

namespace flint::stages::files {

namespace {

using system::RootDir;

// util.Depth: the number of components of the cleaned path.
std::size_t depthOf(std::string_view path)
{
	const std::string p = go::pathClean(path);
	if (p == "/" || p == ".")
		return 0;
	// A clean path has one '/' between components and none at its end.
	return static_cast<std::size_t>(std::count(p.begin(), p.end(), '/')) + (p.front() == '/' ? 0 : 1);
}

// Inline contents of a whole new file go straight into a file of the
// staging area (decoded while remote ones download). Remote ones stay in
// memory until the commit: written into files as they arrive, they slowed
// the transfers (the writes are on the thread driving them) and left data
// for the users' fsyncs to wait on (measured with bench/files).
bool stagedInline(const config::File &f)
{
	return f.contents.source && f.contents.source->starts_with("data:") && f.append.empty();
}

std::unique_ptr<StagedFetch> stage(RootDir &root, const std::string &path, const config::Resource &res,
				   StagingArea *area = nullptr)
{
	auto f = std::make_unique<StagedFetch>();
	f->content = std::make_unique<StagedContent>(root, path, area);
	f->request = fetch::requestFor(res, f->content.get());
	return f;
}

// Resolves paths as RootDir::resolvedPath, remembering parent directories:
// thousands of entries share a few hundred, and a path resolves as its
// parent (every symlink in it followed) joined with its name.
class Resolver final
{
public:
	explicit Resolver(RootDir &root) : root_(root) {}

	Result<std::string> operator()(const std::string &path)
	{
		std::string clean = go::pathClean(path);
		if (clean == "/" || !go::pathIsAbs(clean))
			return root_.resolvedPath(path);
		std::string dir = go::pathDir(clean);
		auto it = parents_.find(dir);
		if (it == parents_.end()) {
			Result<std::string> through = root_.resolvedPath(go::pathJoin(dir, "x"));
			if (!through)
				return root_.resolvedPath(path); // its own words for the error
			it = parents_.emplace(dir, go::pathDir(*through)).first;
		}
		return go::pathJoin(it->second, go::pathBase(clean));
	}

private:
	RootDir &root_;
	std::map<std::string, std::string, std::less<>> parents_;
};

// A file's resolved path and its staged fetches, worked out before the
// plan takes the files in order.
struct PreparedFile {
	Result<std::string> path = std::string();
	std::unique_ptr<StagedFetch> contents;
	std::vector<std::unique_ptr<StagedFetch>> appends;
};

void prepareFiles(const std::vector<config::File> &files, std::size_t from, std::size_t to, RootDir &root,
		  StagingArea &staging, std::vector<PreparedFile> &out)
{
	Resolver resolve(root);
	for (std::size_t i = from; i < to; i++) {
		const config::File &f = files[i];
		PreparedFile &p = out[i];
		p.path = resolve(f.path);
		if (!p.path)
			continue;
		if (f.contents.source)
			p.contents = stage(root, *p.path, f.contents, stagedInline(f) ? &staging : nullptr);
		for (const config::Resource &a : f.append)
			p.appends.push_back(stage(root, *p.path, a));
	}
}

// Files are most of a large config: past kParallelFiles, the second half
// is prepared on another thread (resolving touches only the root, staging
// only the new objects).
constexpr std::size_t kParallelFiles = 1024;

std::vector<PreparedFile> prepareAllFiles(const std::vector<config::File> &files, RootDir &root,
					  StagingArea &staging)
{
	std::vector<PreparedFile> out(files.size());
	const std::size_t half = files.size() >= kParallelFiles ? files.size() / 2 : files.size();
	std::thread helper;
	if (half < files.size()) {
		try {
			helper = std::thread(prepareFiles, std::cref(files), half, files.size(), std::ref(root),
					     std::ref(staging), std::ref(out));
		} catch (const std::system_error &) {
			prepareFiles(files, half, files.size(), root, staging, out);
		}
	}
	prepareFiles(files, 0, half, root, staging, out);
	if (helper.joinable())
		helper.join();
	return out;
}

} // namespace

Result<std::unique_ptr<EntryPlan>> planEntries(const config::Storage &storage, RootDir &root)
{
	auto plan = std::make_unique<EntryPlan>(root);
	plan->entries.reserve(storage.directories.size() + storage.files.size() + storage.links.size());
	// Resolved path -> the config path that landed there first.
	std::map<std::string, std::string> seen;
	std::vector<Entry> hardlinks;
	Resolver resolve(root);
	std::vector<PreparedFile> files = prepareAllFiles(storage.files, root, plan->staging);

	auto add = [&](Kind kind, const config::Node &node, std::string_view what,
		       Result<std::string> resolved) -> Result<Entry *> {
		if (!resolved)
			return unexpected(resolved.error().withContext("resolving " + std::string(what) + " " +
								       go::quote(node.path)));
		auto [it, fresh] = seen.emplace(*resolved, node.path);
		if (!fresh)
			return unexpected(std::string(what) + " at " + node.path + " resolved to " +
					  root.hostPath(*resolved) +
					  " after symlink chasing, but another entry with path " + it->second +
					  " also resolves there");
		Entry e;
		e.kind = kind;
		e.depth = depthOf(*resolved);
		e.path = std::move(*resolved);
		bool hard = kind == Kind::Link && isTrue(static_cast<const config::Link &>(node).hard);
		std::vector<Entry> &list = hard ? hardlinks : plan->entries;
		list.push_back(std::move(e));
		return &list.back();
	};

	// Ignition's order before sorting: directories, files, links.
	for (const config::Directory &d : storage.directories) {
		Result<Entry *> e = add(Kind::Directory, d, "directory", resolve(d.path));
		if (!e)
			return unexpected(e.error());
		(*e)->dir = &d;
	}
	for (std::size_t i = 0; i < storage.files.size(); i++) {
		const config::File &f = storage.files[i];
		Result<Entry *> e = add(Kind::File, f, "file", std::move(files[i].path));
		if (!e)
			return unexpected(e.error());
		(*e)->file = &f;
		(*e)->contents = std::move(files[i].contents);
		(*e)->appends = std::move(files[i].appends);
	}
	for (const config::Link &l : storage.links) {
		Result<Entry *> e = add(Kind::Link, l, "link", resolve(l.path));
		if (!e)
			return unexpected(e.error());
		(*e)->link = &l;
	}
	plan->staging.expect(static_cast<std::size_t>(
		std::count_if(storage.files.begin(), storage.files.end(), stagedInline)));
	// Shallow before deep, so a directory exists before what is in it;
	// hard links last, so they may point at anything created here
	// (coreos/ignition#800). Stable, unlike Ignition's sort.Slice, so
	// entries of one depth keep the config's order.
	std::stable_sort(plan->entries.begin(), plan->entries.end(),
			 [](const Entry &a, const Entry &b) { return a.depth < b.depth; });
	for (Entry &h : hardlinks)
		plan->entries.push_back(std::move(h));
	return plan;
}

std::vector<std::string> EntryPlan::writtenDirs() const
{
	std::vector<std::string> dirs;
	for (const Entry &e : entries)
		if (e.kind == Kind::File)
			dirs.push_back(go::pathDir(e.path));
	std::sort(dirs.begin(), dirs.end());
	dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
	return dirs;
}

Result<void> checkOwnerNames(const EntryPlan &plan, const config::Passwd &passwd, RootDir &root)
{
	// Names the passwd step may create: users, their private groups, groups.
	std::set<std::string> users, groups;
	for (const config::PasswdUser &u : passwd.users) {
		users.insert(u.name);
		groups.insert(u.name);
	}
	for (const config::PasswdGroup &g : passwd.groups)
		groups.insert(g.name);

	std::vector<std::string> problems;
	for (const Entry &e : plan.entries) {
		const config::Node &n = e.node();
		if (!n.user.id && n.user.name && !n.user.name->empty() && !users.count(*n.user.name) &&
		    !system::lookupUser(root, *n.user.name))
			problems.push_back(go::quote(n.path) + ": no such user " + go::quote(*n.user.name) + " in " +
					   root.hostPath("/etc/passwd") + ", " + root.hostPath("/usr/lib/passwd") +
					   " or passwd.users");
		if (!n.group.id && n.group.name && !n.group.name->empty() && !groups.count(*n.group.name) &&
		    !system::lookupGroup(root, *n.group.name))
			problems.push_back(go::quote(n.path) + ": no such group " + go::quote(*n.group.name) + " in " +
					   root.hostPath("/etc/group") + ", " + root.hostPath("/usr/lib/group") +
					   " or passwd.groups");
	}
	if (problems.empty())
		return {};
	for (const std::string &p : problems)
		LOG(Files, Critical) << "unknown owner for " << p;
	std::string msg = "unknown owner for " + problems.front();
	if (problems.size() > 1)
		msg += " (and " + std::to_string(problems.size() - 1) + " more)";
	return unexpected(msg + "; nothing was written");
}

namespace {

// Whether one of the two root-relative, clean paths is the other or lies
// below it.
bool related(std::string_view a, std::string_view b)
{
	if (a.size() > b.size())
		std::swap(a, b);
	return b.compare(0, a.size(), a) == 0 && (b.size() == a.size() || a == "/" || b[a.size()] == '/');
}

// The settings of useradd's defaults file, as "KEY=value" lines
// (HOME=/home, SKEL=/etc/skel); the last of a key wins.
std::map<std::string, std::string, std::less<>> useraddDefaults(RootDir &root)
{
	std::map<std::string, std::string, std::less<>> out;
	Result<std::optional<std::string>> text = root.readFile("/etc/default/useradd");
	if (!text || !*text)
		return out;
	std::string_view rest = **text;
	while (!rest.empty()) {
		std::size_t nl = rest.find('\n');
		std::string_view line = rest.substr(0, nl);
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
		if (std::size_t eq = line.find('='); eq != std::string_view::npos && eq > 0)
			out[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
	}
	return out;
}

// The places shadow-utils (chrooted into the root) reads or writes while
// it creates users and groups, and where Flint puts their SSH keys: each
// as written and fully resolved, cut back to its outermost missing
// directory, which the tools would create.
std::vector<std::string> passwdRegions(const config::Passwd &passwd, RootDir &root)
{
	std::vector<std::string> wanted = { "/etc", "/usr",  "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin",
					    "/var", "/home", "/root", "/run", "/tmp",	 "/proc",  "/sys",  "/dev" };
	const auto defaults = useraddDefaults(root);
	for (std::string_view key : { "HOME", "SKEL" })
		if (auto it = defaults.find(key); it != defaults.end() && go::pathIsAbs(it->second))
			wanted.push_back(it->second);
	for (const config::PasswdUser &u : passwd.users) {
		if (u.homeDir && go::pathIsAbs(*u.homeDir))
			wanted.push_back(*u.homeDir);
		if (std::optional<system::PasswdEntry> e = system::lookupUser(root, u.name); e && go::pathIsAbs(e->homeDir))
			wanted.push_back(e->homeDir);
	}
	std::vector<std::string> regions;
	for (const std::string &w : wanted) {
		std::string clean = go::pathClean(w);
		if (clean == "/")
			continue;
		regions.push_back(clean);
		// Every component followed, the last one too.
		Result<std::string> through = root.resolvedPath(go::pathJoin(clean, "x"));
		if (!through) {
			// Unresolvable (a loop): everything waits for the users.
			return { "/" };
		}
		std::string resolved = go::pathDir(*through);
		std::string outermostMissing;
		for (std::string p = resolved; p != "/"; p = go::pathDir(p)) {
			Result<std::optional<struct stat>> st = root.lstat(p);
			if (!st)
				return { "/" };
			if (*st)
				break;
			outermostMissing = p;
		}
		regions.push_back(outermostMissing.empty() ? resolved : outermostMissing);
	}
	return regions;
}

bool namesOwner(const config::Node &n)
{
	return (!n.user.id && n.user.name && !n.user.name->empty()) ||
	       (!n.group.id && n.group.name && !n.group.name->empty());
}

} // namespace

std::size_t markEarlyEntries(EntryPlan &plan, const config::Passwd &passwd, RootDir &root)
{
	for (Entry &e : plan.entries)
		e.early = false;
	if (passwd.users.empty() && passwd.groups.empty())
		return 0;
	const std::vector<std::string> regions = passwdRegions(passwd, root);
	// Entries that wait, and every link of the config: nothing early may
	// lie below them.
	std::set<std::string> held;
	std::size_t n = 0;
	for (Entry &e : plan.entries) {
		bool early = !(e.kind == Kind::Link && isTrue(e.link->hard)) && !namesOwner(e.node());
		for (std::size_t i = 0; early && i < regions.size(); i++)
			early = !related(e.path, regions[i]);
		for (std::string p = go::pathDir(e.path); early && p != "/"; p = go::pathDir(p))
			early = !held.count(p);
		if (!early || e.kind == Kind::Link)
			held.insert(e.path);
		e.early = early;
		n += early;
	}
	return n;
}

std::vector<StagedFetch *> stagedFetches(EntryPlan &plan)
{
	std::vector<StagedFetch *> out;
	for (Entry &e : plan.entries) {
		if (e.contents)
			out.push_back(e.contents.get());
		for (auto &a : e.appends)
			out.push_back(a.get());
	}
	return out;
}

namespace {

// Handles on the directories files are written into, so ten thousand files
// in a few hundred directories resolve each directory once, not each file's
// path several times. A handle stays right while directories are only added;
// applyEntries drops them all before it removes anything (overwrite).
class DirCache final
{
public:
	// The directory at `dir` (symlinks followed inside the root), or -1 when
	// it, or one of its parents, does not exist yet.
	Result<int> find(RootDir &root, const std::string &dir)
	{
		if (auto it = dirs_.find(dir); it != dirs_.end())
			return it->second.get();
		// Bounded: the staged files hold most of the open-file limit.
		if (dirs_.size() >= kMaxDirs)
			clear();
		Result<UniqueFd> fd = root.openDirectory(dir);
		if (!fd) {
			if (fd.error().errnum() == ENOENT || fd.error().errnum() == ENOTDIR)
				return -1;
			return unexpected(fd.error());
		}
		return dirs_.emplace(dir, std::move(*fd)).first->second.get();
	}

	// As find(), creating `dir` and its missing parents (0755) first.
	Result<int> make(RootDir &root, const std::string &dir)
	{
		if (auto it = dirs_.find(dir); it != dirs_.end())
			return it->second.get();
		if (Result<std::vector<std::string>> made = root.mkdirAll(dir, 0755); !made)
			return unexpected(made.error());
		Result<int> fd = find(root, dir);
		if (fd && *fd < 0)
			return unexpected(Error("open " + root.hostPath(dir) + ": no such file or directory", ENOENT));
		return fd;
	}

	// plainDirectory(), remembered per handle.
	bool plain(int fd)
	{
		auto it = plain_.find(fd);
		if (it == plain_.end())
			it = plain_.emplace(fd, plainDirectory(fd)).first;
		return it->second;
	}

	void clear()
	{
		dirs_.clear();
		plain_.clear();
	}

private:
	static constexpr std::size_t kMaxDirs = 512;
	std::map<std::string, UniqueFd> dirs_;
	std::map<int, bool> plain_;
};

// lstat of e.path through its parent's cached handle; nullopt when absent
// (the parent too).
Result<std::optional<struct stat>> lstatEntry(RootDir &root, DirCache &dirs, const Entry &e)
{
	Result<int> parent = dirs.find(root, go::pathDir(e.path));
	if (!parent)
		return unexpected(parent.error());
	if (*parent < 0)
		return std::optional<struct stat>();
	struct stat st;
	if (::fstatat(*parent, go::pathBase(e.path).c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return std::optional<struct stat>();
		return unexpected(errnoError("lstat " + root.hostPath(e.path)));
	}
	return std::optional<struct stat>(st);
}

// A new file whose contents the staging area holds: owner and mode set on
// the staged file, then linked in under its name. false (nothing visible
// done) when it does not apply: no staged file, a directory where a new
// file would get another group or ACL, another filesystem, or a kernel
// refusing the link; the caller then writes the file the usual way.
Result<bool> linkStaged(RootDir &root, DirCache &dirs, int dir, Entry &e)
{
	int fd = e.contents && e.appends.empty() ? e.contents->content->linkableFd() : -1;
	if (fd < 0 || !dirs.plain(dir))
		return false;
	struct stat st, dst;
	if (::fstat(fd, &st) < 0 || ::fstat(dir, &dst) < 0 || st.st_dev != dst.st_dev)
		return false;
	if (Result<void> p = setFilePermissions(root, fd, e.path, *e.file, e.file->mode); !p)
		return unexpected(p.error().withContext("error setting file permissions for " + root.hostPath(e.path)));
	std::string name = go::pathBase(e.path);
	// AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc reaches the same
	// inode without it.
	if (::linkat(fd, "", dir, name.c_str(), AT_EMPTY_PATH) == 0 ||
	    ::linkat(AT_FDCWD, ("/proc/self/fd/" + std::to_string(fd)).c_str(), dir, name.c_str(),
		     AT_SYMLINK_FOLLOW) == 0) {
		e.contents->content->linked();
		return true;
	}
	if (errno == EEXIST || errno == ENOSPC || errno == EDQUOT || errno == EMLINK || errno == EROFS ||
	    errno == EIO)
		return unexpected(errnoError("link " + root.hostPath(e.path)));
	return false;
}

// `st`: what is at e.path now (lstat).
Result<void> createFile(RootDir &root, DirCache &dirs, Entry &e, bool existedBefore,
			const Result<std::optional<struct stat>> &st)
{
	const config::File &f = *e.file;
	std::string host = root.hostPath(e.path);
	auto fail = [&](const Error &err) { return unexpected(err.withContext("error creating " + host)); };

	if (!st)
		return fail(st.error());
	bool exists = st->has_value();
	if (exists && !S_ISREG((*st)->st_mode))
		return fail(Error("error creating file " + go::quote(host) +
				  ": A non regular file exists there already and overwrite is false"));
	if (exists && e.contents)
		return fail(Error("error creating file " + go::quote(host) +
				  ": A file exists there already and overwrite is false"));

	// Absent: written from the source (or empty) and the appends, beside
	// the target, then renamed over it. Present (no source): kept, and
	// appended to.
	bool write = !exists || !e.appends.empty();
	if (write) {
		std::string what = (exists ? "appending to file " : "writing file ") + go::quote(host);
		Result<void> r = log::logOperation(what, [&]() -> Result<void> {
			if (exists) {
				// Appended in place, as Ignition does, so the
				// inode (hard links, ACLs, xattrs) stays; the
				// fragments are already here, verified.
				Result<UniqueFd> out = root.openAppend(e.path);
				if (!out)
					return unexpected(out.error());
				for (auto &a : e.appends)
					if (Result<void> c = a->content->copyTo(out->get()); !c)
						return c;
				return {};
			}
			Result<int> dir = dirs.make(root, go::pathDir(e.path));
			if (!dir)
				return unexpected(dir.error());
			if (Result<bool> linked = linkStaged(root, dirs, *dir, e); !linked || *linked)
				return linked ? Result<void>() : unexpected(linked.error());
			Result<system::TempFile> tmp = system::TempFile::createIn(*dir, go::pathBase(e.path), host);
			if (!tmp)
				return unexpected(tmp.error());
			if (e.contents) {
				if (Result<void> c = e.contents->content->copyTo(tmp->fd()); !c)
					return c;
			}
			for (auto &a : e.appends)
				if (Result<void> c = a->content->copyTo(tmp->fd()); !c)
					return c;
			// Owner and mode before the rename: the file appears
			// with them, never with the defaults first.
			if (Result<void> p = setFilePermissions(root, tmp->fd(), e.path, f, f.mode); !p)
				return unexpected(
					p.error().withContext("error setting file permissions for " + host));
			// One syncfs at the end of the stage instead of an
			// fsync per file (runFiles).
			return tmp->commit(system::TempFile::Sync::Deferred);
		});
		if (!r)
			return unexpected(r.error().withContext("failed to create file " + go::quote(host)));
	}
	if (exists) {
		if (Result<void> r = setPermissions(root, e.path, f, f.mode); !r)
			return fail(r.error().withContext("error setting file permissions for " + host));
	}

	const char *how = !exists ? (existedBefore ? "replaced" : "created") : (write ? "appended" : "kept");
	std::uint64_t bytes = e.contents ? e.contents->content->size() : 0;
	std::uint64_t appended = 0;
	for (auto &a : e.appends)
		appended += a->content->size();
	LOG(Files, Info) << "file " << go::quote(e.path) << ": " << how
			 << (exists ? "" : " (" + std::to_string(bytes + appended) + " bytes)")
			 << (e.appends.empty() ? ""
					       : ", " + std::to_string(e.appends.size()) + " fragment(s) appended (" +
							 std::to_string(appended) + " bytes)");
	return {};
}

Result<void> createDirectory(RootDir &root, Entry &e, bool existedBefore)
{
	std::string host = root.hostPath(e.path);
	auto fail = [&](const Error &err) { return unexpected(err.withContext("error creating " + host)); };
	Result<std::optional<struct stat>> st = root.lstat(e.path);
	if (!st)
		return fail(Error("stat() failed on " + host + ": " + st.error().message()));
	if (!*st) {
		if (Result<std::vector<std::string>> made = root.mkdirAll(e.path, 0755); !made)
			return fail(made.error().withContext("failed to create directory " + host));
	} else if (!S_ISDIR((*st)->st_mode)) {
		return fail(Error("error creating directory " + host +
				  ": A non-directory already exists and overwrite is false"));
	}
	if (Result<void> r = setPermissions(root, e.path, *e.dir, e.dir->mode); !r)
		return fail(r.error().withContext("error setting directory permissions for " + host));
	LOG(Files, Info) << "directory " << go::quote(e.path) << ": "
			 << (*st ? "kept" : (existedBefore ? "replaced" : "created"));
	return {};
}

Result<void> createLink(RootDir &root, Entry &e, bool existedBefore)
{
	const config::Link &l = *e.link;
	const std::string target = l.target.value_or("");
	bool hard = isTrue(l.hard);
	std::string host = root.hostPath(e.path);
	auto fail = [&](const Error &err) { return unexpected(err.withContext("error creating " + host)); };

	Result<std::optional<struct stat>> st = root.lstat(e.path);
	if (!st)
		return fail(Error("stat() failed on " + host + ": " + st.error().message()));
	if (*st && hard) {
		Result<std::optional<struct stat>> tst = root.lstat(target);
		if (!tst || !*tst)
			return fail(Error("error creating hard link " + host +
					  ": target does not exist or stat() returned an err: " +
					  (tst ? "lstat " + root.hostPath(target) + ": no such file or directory"
					       : tst.error().message())));
		if ((*tst)->st_dev != (*st)->st_dev || (*tst)->st_ino != (*st)->st_ino)
			return fail(Error("error creating hard link " + host +
					  ": a file already exists at that path but is not the target and overwrite is false"));
		LOG(Files, Info) << "Hardlink " << host << " to " << target << " already exists, doing nothing";
		return {};
	}
	if (*st) {
		if (!S_ISLNK((*st)->st_mode))
			return fail(Error("error creating symlink " + host +
					  ": a non-symlink already exists at that path and overwrite is false"));
		Result<std::string> cur = root.readlink(e.path);
		if (!cur)
			return fail(Error("error reading link at " + host + ": " + cur.error().message()));
		if (go::pathClean(*cur) != go::pathClean(target))
			return fail(Error("error creating symlink " + host + ": a symlink exists at that path but points to " +
					  *cur + ", not " + target + " and overwrite is false"));
		LOG(Files, Info) << "Symlink " << host << " to " << target << " already exists, doing nothing";
		return {};
	}

	Result<void> r = log::logOperation(
		"writing link " + go::quote(host) + " -> " + go::quote(target), [&]() -> Result<void> {
			if (Result<std::vector<std::string>> made = root.mkdirAll(go::pathDir(e.path), 0755); !made)
				return unexpected(made.error().withContext("could not create leading directories"));
			if (hard)
				return root.hardlink(target, e.path);
			if (Result<void> s = root.symlink(target, e.path); !s)
				return unexpected(s.error().withContext("could not create symlink"));
			if (Result<void> p = setPermissions(root, e.path, l, std::nullopt); !p)
				return unexpected(p.error().withContext("error setting permissions of " + host));
			return {};
		});
	if (!r)
		return fail(r.error().withContext("failed to create link " + go::quote(host)));
	LOG(Files, Info) << (hard ? "hard link " : "symlink ") << go::quote(e.path) << " -> " << go::quote(target)
			 << ": " << (existedBefore ? "replaced" : "created");
	return {};
}

} // namespace

Result<void> applyEntries(EntryPlan &plan, RootDir &root, Relabeler &relabel, EntryPass pass)
{
	log::PrefixScope prefix("createFiles");
	// Three lines per entry, and nothing here waits on the network or a
	// child process: written in blocks.
	log::BatchScope batch;
	DirCache dirs;
	for (Entry &e : plan.entries) {
		if ((pass == EntryPass::Early && !e.early) || (pass == EntryPass::Late && e.early))
			continue;
		std::string host = root.hostPath(e.path);
		Result<std::optional<struct stat>> before = lstatEntry(root, dirs, e);
		// The first missing component: the entry itself when its
		// parent is there (known from the cache), else looked up.
		if (Result<int> parent = dirs.find(root, go::pathDir(e.path)); parent && *parent >= 0) {
			if (relabel.enabled())
				relabel.add(e.path);
		} else {
			relabel.addFirstMissing(root, e.path);
		}
		bool existedBefore = before && *before;
		if (isTrue(e.node().overwrite) && existedBefore) {
			dirs.clear();
			if (Result<void> r = root.removeAll(e.path); !r)
				return unexpected(r.error().withContext("error removing existing file " + host));
			before = std::optional<struct stat>();
		}
		Result<void> r = e.kind == Kind::File	     ? createFile(root, dirs, e, existedBefore, before)
				 : e.kind == Kind::Directory ? createDirectory(root, e, existedBefore)
							     : createLink(root, e, existedBefore);
		if (!r)
			return r;
	}
	return {};
}

} // namespace flint::stages::files
