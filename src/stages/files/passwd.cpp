// passwd.groups and passwd.users through shadow-utils --root, then SSH keys, as Ignition's ensureGroups/ensureUsers.
#include "files_internal.h"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>

#include "flint/base/go.h"
#include "flint/system/passwd.h"

namespace flint::stages::files {

namespace {

using system::RootDir;

// Ignition's journal entry for written keys (internal/exec/util/passwd.go).
constexpr std::string_view kSshKeysMessageId = "225067b87bbd4a0cb6ab151f82fa364b";

Result<void> ensureGroup(const config::PasswdGroup &g, RootDir &root)
{
	bool exists = system::lookupGroup(root, g.name).has_value();
	if (isFalse(g.shouldExist)) {
		if (!exists)
			return {};
		if (Result<void> r = runLogged(system::groupdelArgs(root.path(), g.name), "deleting group " + go::quote(g.name)); !r)
			return unexpected(r.error().withContext("failed to delete group " + go::quote(g.name)));
		return {};
	}
	system::GroupSpec spec;
	spec.name = g.name;
	if (g.gid)
		spec.gid = static_cast<uint32_t>(*g.gid);
	spec.passwordHash = g.passwordHash;
	spec.system = isTrue(g.system);
	// An existing group is modified (Ignition HEAD); Ignition 2.14 ran
	// groupadd again, which fails.
	if (exists)
		return runLogged(system::groupmodArgs(root.path(), spec), "modifying group " + go::quote(g.name));
	return runLogged(system::groupaddArgs(root.path(), spec), "adding group " + go::quote(g.name));
}

system::UserSpec userSpec(const config::PasswdUser &u)
{
	system::UserSpec s;
	s.name = u.name;
	if (u.uid)
		s.uid = static_cast<uint32_t>(*u.uid);
	s.passwordHash = u.passwordHash;
	s.gecos = u.gecos;
	s.homeDir = u.homeDir;
	s.primaryGroup = u.primaryGroup;
	s.shell = u.shell;
	s.groups = u.groups;
	s.noCreateHome = isTrue(u.noCreateHome);
	s.noUserGroup = isTrue(u.noUserGroup);
	s.system = isTrue(u.system);
	s.noLogInit = isTrue(u.noLogInit);
	return s;
}

Result<void> authorizeKeys(const config::PasswdUser &u, const FilesContext &ctx)
{
	RootDir &root = *ctx.root;
	return log::logOperation("adding ssh keys to user " + go::quote(u.name), [&]() -> Result<void> {
		std::optional<system::PasswdEntry> entry = system::lookupUser(root, u.name);
		if (!entry)
			return unexpected("unable to lookup user " + go::quote(u.name));
		if (Result<void> r = system::writeAuthorizedKeys(root, *entry, u.sshAuthorizedKeys,
								 ctx.authorizedKeysFragment);
		    !r)
			return unexpected(r.error().withContext("failed to set SSH key"));
		std::string path = go::pathJoin(entry->homeDir, ctx.authorizedKeysFragment
									? ".ssh/authorized_keys.d/ignition"
									: ".ssh/authorized_keys");
		// Best effort, as Ignition ignores journal.Send's error.
		(void)log::Logger::instance().sendStructured(
			log::Level::Info, "wrote ssh authorized keys file for user: " + u.name,
			{ { "IGNITION_USER_NAME", u.name },
			  { "IGNITION_PATH", root.hostPath(path) },
			  { "MESSAGE_ID", std::string(kSshKeysMessageId) } });
		return {};
	});
}

// Ignition's ModifyHomeDirPermissions: the directories the mount stage
// created for mount points (state notatedDirectories) that are the user's
// home or lie in it belong to the user, mode 0700, so a filesystem mounted
// at /home/core/data does not leave root-owned directories in core's home.
Result<void> giveNotatedDirectories(const config::PasswdUser &u, const FilesContext &ctx)
{
	if (isTrue(u.noCreateHome) || !ctx.notatedDirectories || ctx.notatedDirectories->empty())
		return {};
	RootDir &root = *ctx.root;
	std::optional<system::PasswdEntry> entry = system::lookupUser(root, u.name);
	if (!entry)
		return unexpected("unable to look up user " + go::quote(u.name));
	const std::string &home = entry->homeDir;
	for (const std::string &dir : *ctx.notatedDirectories) {
		if (dir != home && dir.compare(0, home.size() + 1, home + "/") != 0)
			continue;
		Result<std::string> path = root.resolvedPath(dir);
		if (!path)
			return unexpected(path.error().withContext("calculating path of " + go::quote(dir)));
		const std::string host = root.hostPath(*path);
		if (Result<void> r = root.lchown(*path, entry->uid, entry->gid); !r)
			return unexpected(r.error().withContext("changing ownership of " + go::quote(host)));
		// More than some subdirectories need, but safe by default.
		if (Result<void> r = root.chmod(*path, 0700); !r)
			return unexpected(r.error().withContext("changing file mode of " + go::quote(host)));
		LOG(Files, Info) << "directory " << go::quote(*path) << " (a mount point the mount stage created in "
				 << go::quote(u.name) << "'s home): owner " << entry->uid << ":" << entry->gid
				 << ", mode 0700";
	}
	return {};
}

Result<void> ensureUser(const config::PasswdUser &u, const FilesContext &ctx)
{
	RootDir &root = *ctx.root;
	bool exists = system::lookupUser(root, u.name).has_value();
	if (isFalse(u.shouldExist)) {
		if (!exists)
			return {};
		if (Result<void> r = runLogged(system::userdelArgs(root.path(), u.name), "deleting user " + go::quote(u.name)); !r)
			return unexpected(r.error()
						  .withContext("failed to delete user " + go::quote(u.name))
						  .withContext("failed to create user " + go::quote(u.name)));
		return {};
	}
	system::UserSpec spec = userSpec(u);
	std::vector<std::string> argv = exists ? system::usermodArgs(root.path(), spec)
					       : system::useraddArgs(root.path(), spec);
	if (Result<void> r = runLogged(argv, "creating or modifying user " + go::quote(u.name)); !r)
		return unexpected(r.error().withContext("failed to create user " + go::quote(u.name)));
	if (Result<void> r = giveNotatedDirectories(u, ctx); !r)
		return unexpected(
			r.error().withContext("failed to modify home directory permissions for " + go::quote(u.name)));
	// Ignition then runs `usermod --password` with the hash useradd or
	// usermod was just given: the same shadow entry, one more process
	// (and its fsyncs) per user. Flint leaves that second call out.
	if (!u.sshAuthorizedKeys.empty()) {
		if (Result<void> r = authorizeKeys(u, ctx); !r)
			return unexpected(r.error().withContext("failed to add keys to user " + go::quote(u.name)));
	}
	return {};
}

// The passwd-related files shadow-utils may have written:
// /etc/{passwd,group,shadow,gshadow,subuid,subgid}* and /etc/.pwd.lock.
void relabelPasswdFiles(RootDir &root, Relabeler &relabel)
{
	relabel.add("/etc/.pwd.lock");
	Result<UniqueFd> dir = root.openFollowing("/etc", O_RDONLY | O_DIRECTORY);
	if (!dir)
		return;
	DIR *d = ::fdopendir(dir->release());
	if (!d)
		return;
	static constexpr std::string_view kPrefixes[] = { "passwd", "group", "shadow", "gshadow", "subuid", "subgid" };
	while (struct dirent *de = ::readdir(d)) {
		std::string_view name = de->d_name;
		for (std::string_view p : kPrefixes)
			if (name.substr(0, p.size()) == p) {
				relabel.add("/etc/" + std::string(name));
				break;
			}
	}
	::closedir(d);
}

} // namespace

Result<void> applyPasswd(const config::Passwd &passwd, const FilesContext &ctx, Relabeler &relabel)
{
	RootDir &root = *ctx.root;
	if (!passwd.groups.empty()) {
		log::PrefixScope prefix("ensureGroups");
		for (const config::PasswdGroup &g : passwd.groups)
			if (Result<void> r = ensureGroup(g, root); !r)
				return unexpected(r.error()
							  .withContext("failed to create group " + go::quote(g.name))
							  .withContext("failed to configure groups"));
	}
	if (!passwd.users.empty()) {
		log::PrefixScope prefix("ensureUsers");
		for (const config::PasswdUser &u : passwd.users)
			if (Result<void> r = ensureUser(u, ctx); !r)
				return unexpected(r.error().withContext("failed to configure users"));
	}
	if (!relabel.enabled() || (passwd.groups.empty() && passwd.users.empty()))
		return {};
	relabelPasswdFiles(root, relabel);
	for (const config::PasswdUser &u : passwd.users) {
		if (isTrue(u.noCreateHome) || isFalse(u.shouldExist))
			continue;
		std::optional<system::PasswdEntry> entry = system::lookupUser(root, u.name);
		if (!entry)
			continue;
		// A home that is a symlink (/root -> /var/roothome on OSTree
		// systems) is relabelled at its target.
		Result<std::string> resolved = root.resolvedPath(entry->homeDir);
		if (!resolved)
			continue;
		std::string home = *resolved;
		if (Result<std::string> t = root.readlink(home); t)
			home = go::pathIsAbs(*t) ? go::pathClean(*t) : go::pathJoin(go::pathDir(home), *t);
		relabel.add(home);
	}
	return {};
}

} // namespace flint::stages::files
