// storage.files, storage.directories and storage.links: planned and fetched first, then applied by depth.
#include "files_internal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "flint/base/go.h"
#include "flint/system/passwd.h"

namespace flint::stages::files {

namespace {

using system::RootDir;

// util.Depth: the number of components of the cleaned path.
std::size_t depthOf(std::string_view path)
{
	std::size_t n = 0;
	for (std::string p = go::pathClean(path); p != "/" && p != "."; p = go::pathDir(p))
		n++;
	return n;
}

bool isTrue(const config::OptBool &b) { return b.value_or(false); }

std::unique_ptr<StagedFetch> stage(RootDir &root, const std::string &path, const config::Resource &res)
{
	auto f = std::make_unique<StagedFetch>();
	f->what = "file " + go::quote(root.hostPath(path));
	f->content = std::make_unique<StagedContent>(root, path);
	f->request = fetch::requestFor(res, f->content.get());
	return f;
}

} // namespace

Result<std::unique_ptr<EntryPlan>> planEntries(const config::Storage &storage, RootDir &root)
{
	auto plan = std::make_unique<EntryPlan>();
	// Resolved path -> the config path that landed there first.
	std::map<std::string, std::string> seen;
	std::vector<Entry> hardlinks;

	auto add = [&](Kind kind, const config::Node &node, std::string_view what) -> Result<Entry *> {
		Result<std::string> resolved = root.resolvedPath(node.path);
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
		e.path = *resolved;
		e.depth = depthOf(*resolved);
		bool hard = kind == Kind::Link && isTrue(static_cast<const config::Link &>(node).hard);
		std::vector<Entry> &list = hard ? hardlinks : plan->entries;
		list.push_back(std::move(e));
		return &list.back();
	};

	// Ignition's order before sorting: directories, files, links.
	for (const config::Directory &d : storage.directories) {
		Result<Entry *> e = add(Kind::Directory, d, "directory");
		if (!e)
			return unexpected(e.error());
		(*e)->dir = &d;
	}
	for (const config::File &f : storage.files) {
		Result<Entry *> e = add(Kind::File, f, "file");
		if (!e)
			return unexpected(e.error());
		(*e)->file = &f;
		if (f.contents.source)
			(*e)->contents = stage(root, (*e)->path, f.contents);
		for (const config::Resource &a : f.append)
			(*e)->appends.push_back(stage(root, (*e)->path, a));
	}
	for (const config::Link &l : storage.links) {
		Result<Entry *> e = add(Kind::Link, l, "link");
		if (!e)
			return unexpected(e.error());
		(*e)->link = &l;
	}
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

Result<void> createFile(RootDir &root, Entry &e, bool existedBefore)
{
	const config::File &f = *e.file;
	std::string host = root.hostPath(e.path);
	auto fail = [&](const Error &err) { return unexpected(err.withContext("error creating " + host)); };

	Result<std::optional<struct stat>> st = root.lstat(e.path);
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
			if (Result<std::vector<std::string>> made = root.mkdirAll(go::pathDir(e.path), 0755); !made)
				return unexpected(made.error());
			Result<system::TempFile> tmp = root.createTempBeside(e.path);
			if (!tmp)
				return unexpected(tmp.error());
			if (e.contents) {
				if (Result<void> c = e.contents->content->copyTo(tmp->fd()); !c)
					return c;
			}
			for (auto &a : e.appends)
				if (Result<void> c = a->content->copyTo(tmp->fd()); !c)
					return c;
			// One syncfs at the end of the stage instead of an
			// fsync per file (runFiles).
			return tmp->commit(system::TempFile::Sync::Deferred);
		});
		if (!r)
			return unexpected(r.error().withContext("failed to create file " + go::quote(host)));
	}
	if (Result<void> r = setPermissions(root, e.path, f, f.mode); !r)
		return fail(r.error().withContext("error setting file permissions for " + host));

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

Result<void> applyEntries(EntryPlan &plan, RootDir &root, Relabeler &relabel)
{
	log::PrefixScope prefix("createFiles");
	for (Entry &e : plan.entries) {
		std::string host = root.hostPath(e.path);
		relabel.addFirstMissing(root, e.path);
		Result<std::optional<struct stat>> before = root.lstat(e.path);
		bool existedBefore = before && *before;
		if (isTrue(e.node().overwrite) && existedBefore) {
			if (Result<void> r = root.removeAll(e.path); !r)
				return unexpected(r.error().withContext("error removing existing file " + host));
		}
		Result<void> r = e.kind == Kind::File	     ? createFile(root, e, existedBefore)
				 : e.kind == Kind::Directory ? createDirectory(root, e, existedBefore)
							     : createLink(root, e, existedBefore);
		if (!r)
			return r;
	}
	return {};
}

} // namespace flint::stages::files
