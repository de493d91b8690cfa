// Users and groups in a target root: shadow-utils argv as Ignition builds it, lookups, SSH keys.
#include "flint/system/passwd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>

#include "flint/base/fd_io.h"
#include "flint/base/go.h"
#include "flint/base/unique_fd.h"
#include "flint/system/distro.h"

namespace flint::system {

namespace {


// Ignition's appendIfStringSet: only a set, non-empty value adds the flag.
void appendIfSet(std::vector<std::string> &args, const char *flag, const std::optional<std::string> &value)
{
	if (value && !value->empty()) {
		args.emplace_back(flag);
		args.push_back(*value);
	}
}

std::string joinGroups(const std::vector<std::string> &groups)
{
	std::string out;
	for (const std::string &g : groups) {
		if (!out.empty())
			out += ',';
		out += g;
	}
	return out;
}

// The flags after the add/mod-specific ones, shared by useradd and usermod
// in Ignition's EnsureUser.
void appendUserCommon(std::vector<std::string> &args, const UserSpec &user)
{
	if (user.uid) {
		args.emplace_back("--uid");
		args.push_back(std::to_string(*user.uid));
	}
	appendIfSet(args, "--comment", user.gecos);
	appendIfSet(args, "--gid", user.primaryGroup);
	if (!user.groups.empty()) {
		args.emplace_back("--groups");
		args.push_back(joinGroups(user.groups));
	}
	appendIfSet(args, "--shell", user.shell);
	args.push_back(user.name);
}

std::vector<std::string_view> splitPath(std::string_view path)
{
	std::vector<std::string_view> parts;
	std::size_t pos = 0;
	while (pos <= path.size()) {
		std::size_t slash = path.find('/', pos);
		if (slash == std::string_view::npos)
			slash = path.size();
		if (slash > pos)
			parts.push_back(path.substr(pos, slash - pos));
		pos = slash + 1;
	}
	return parts;
}

std::vector<std::string_view> splitFields(std::string_view line, std::size_t maxFields)
{
	std::vector<std::string_view> fields;
	std::size_t pos = 0;
	while (fields.size() + 1 < maxFields) {
		std::size_t colon = line.find(':', pos);
		if (colon == std::string_view::npos)
			break;
		fields.push_back(line.substr(pos, colon - pos));
		pos = colon + 1;
	}
	// The last field keeps any further colons, as glibc's parser does.
	fields.push_back(line.substr(pos));
	return fields;
}

std::optional<uint32_t> parseId(std::string_view s)
{
	uint32_t v = 0;
	if (s.empty())
		return std::nullopt;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
	if (ec != std::errc() || end != s.data() + s.size())
		return std::nullopt;
	return v;
}

// Lines that name no entry: blank, comments, NIS compat markers.
bool skipLine(std::string_view line)
{
	return line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-';
}

template<typename F>
void forEachLine(std::string_view text, F f)
{
	std::size_t pos = 0;
	while (pos < text.size()) {
		std::size_t nl = text.find('\n', pos);
		if (nl == std::string_view::npos)
			nl = text.size();
		std::string_view line = text.substr(pos, nl - pos);
		if (!skipLine(line))
			f(line);
		pos = nl + 1;
	}
}

template<typename Entry, typename Pred>
std::optional<Entry> findIn(RootDir &root, const char *etcPath, const char *libPath,
			    std::vector<Entry> (*parse)(std::string_view), Pred pred)
{
	for (const char *path : { etcPath, libPath }) {
		// Missing or unreadable counts as empty (see passwd.h).
		Result<std::optional<std::string>> text = root.readFile(path);
		if (!text || !*text)
			continue;
		for (Entry &e : parse(**text)) {
			if (pred(e))
				return std::move(e);
		}
	}
	return std::nullopt;
}

// Makes <parent>/<name> a directory we can trust, creating it 0700 for the
// user when absent. O_NOFOLLOW: a planted symlink fails rather than redirects.
Result<UniqueFd> ensureUserDir(int parentFd, const char *name, const PasswdEntry &user, const std::string &shown)
{
	bool created = mkdirat(parentFd, name, 0700) == 0;
	if (!created && errno != EEXIST)
		return unexpected(errnoError("creating " + go::quote(shown)));
	int fd = openat(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return unexpected(errnoError("opening " + go::quote(shown)));
	UniqueFd dir(fd);
	if (created) {
		if (fchown(dir.get(), user.uid, user.gid) < 0)
			return unexpected(errnoError("changing owner of " + go::quote(shown)));
		// mkdirat's mode went through the umask; set it exactly.
		if (fchmod(dir.get(), 0700) < 0)
			return unexpected(errnoError("changing mode of " + go::quote(shown)));
	}
	return dir;
}

} // namespace

std::vector<std::string> useraddArgs(const std::string &root, const UserSpec &user)
{
	std::vector<std::string> args{ distro::kUseraddCmd, "--root", root };
	appendIfSet(args, "--home-dir", user.homeDir);
	args.emplace_back(user.noCreateHome ? "--no-create-home" : "--create-home");
	if (user.noUserGroup)
		args.emplace_back("--no-user-group");
	if (user.system)
		args.emplace_back("--system");
	if (user.noLogInit)
		args.emplace_back("--no-log-init");
	// A new user without a hash gets "*" so password logins start disabled.
	args.emplace_back("--password");
	args.push_back(user.passwordHash && !user.passwordHash->empty() ? *user.passwordHash : "*");
	appendUserCommon(args, user);
	return args;
}

std::vector<std::string> usermodArgs(const std::string &root, const UserSpec &user)
{
	std::vector<std::string> args{ distro::kUsermodCmd, "--root", root };
	if (user.homeDir && !user.homeDir->empty()) {
		args.emplace_back("--home");
		args.push_back(*user.homeDir);
		args.emplace_back("--move-home");
	}
	// An existing user's password is only touched when a hash is given.
	if (user.passwordHash) {
		args.emplace_back("--password");
		args.push_back(user.passwordHash->empty() ? "*" : *user.passwordHash);
	}
	appendUserCommon(args, user);
	return args;
}

std::vector<std::string> userdelArgs(const std::string &root, const std::string &name)
{
	return { distro::kUserdelCmd, "--remove", "--root", root, name };
}

std::vector<std::string> groupaddArgs(const std::string &root, const GroupSpec &group)
{
	std::vector<std::string> args{ distro::kGroupaddCmd, "--root", root };
	if (group.gid) {
		args.emplace_back("--gid");
		args.push_back(std::to_string(*group.gid));
	}
	args.emplace_back("--password");
	args.push_back(group.passwordHash && !group.passwordHash->empty() ? *group.passwordHash : "*");
	if (group.system)
		args.emplace_back("--system");
	args.push_back(group.name);
	return args;
}

std::vector<std::string> groupmodArgs(const std::string &root, const GroupSpec &group)
{
	// groupmod has no --system: an existing group's kind cannot change.
	std::vector<std::string> args{ distro::kGroupmodCmd, "--root", root };
	if (group.gid) {
		args.emplace_back("--gid");
		args.push_back(std::to_string(*group.gid));
	}
	args.emplace_back("--password");
	args.push_back(group.passwordHash && !group.passwordHash->empty() ? *group.passwordHash : "*");
	args.push_back(group.name);
	return args;
}

std::vector<std::string> groupdelArgs(const std::string &root, const std::string &name)
{
	return { distro::kGroupdelCmd, "--root", root, name };
}

std::vector<PasswdEntry> parsePasswd(std::string_view text)
{
	std::vector<PasswdEntry> entries;
	forEachLine(text, [&](std::string_view line) {
		std::vector<std::string_view> f = splitFields(line, 7);
		if (f.size() < 7 || f[0].empty())
			return;
		std::optional<uint32_t> uid = parseId(f[2]);
		std::optional<uint32_t> gid = parseId(f[3]);
		if (!uid || !gid)
			return;
		entries.push_back({ std::string(f[0]), std::string(f[1]), *uid, *gid, std::string(f[4]),
				    std::string(f[5]), std::string(f[6]) });
	});
	return entries;
}

std::vector<GroupEntry> parseGroup(std::string_view text)
{
	std::vector<GroupEntry> entries;
	forEachLine(text, [&](std::string_view line) {
		std::vector<std::string_view> f = splitFields(line, 4);
		if (f.size() < 4 || f[0].empty())
			return;
		std::optional<uint32_t> gid = parseId(f[2]);
		if (!gid)
			return;
		GroupEntry e{ std::string(f[0]), std::string(f[1]), *gid, {} };
		std::size_t pos = 0;
		std::string_view members = f[3];
		while (pos <= members.size()) {
			std::size_t comma = members.find(',', pos);
			if (comma == std::string_view::npos)
				comma = members.size();
			if (comma > pos)
				e.members.emplace_back(members.substr(pos, comma - pos));
			pos = comma + 1;
		}
		entries.push_back(std::move(e));
	});
	return entries;
}

std::optional<PasswdEntry> lookupUser(RootDir &root, std::string_view name)
{
	return findIn<PasswdEntry>(root, "/etc/passwd", "/usr/lib/passwd", parsePasswd,
				   [&](const PasswdEntry &e) { return e.name == name; });
}

std::optional<PasswdEntry> lookupUserById(RootDir &root, uid_t uid)
{
	return findIn<PasswdEntry>(root, "/etc/passwd", "/usr/lib/passwd", parsePasswd,
				   [&](const PasswdEntry &e) { return e.uid == uid; });
}

std::optional<GroupEntry> lookupGroup(RootDir &root, std::string_view name)
{
	return findIn<GroupEntry>(root, "/etc/group", "/usr/lib/group", parseGroup,
				  [&](const GroupEntry &e) { return e.name == name; });
}

std::optional<GroupEntry> lookupGroupById(RootDir &root, gid_t gid)
{
	return findIn<GroupEntry>(root, "/etc/group", "/usr/lib/group", parseGroup,
				  [&](const GroupEntry &e) { return e.gid == gid; });
}

Result<void> writeAuthorizedKeys(RootDir &root, const PasswdEntry &user, const std::vector<std::string> &keys,
				 bool fragment)
{
	// Ignition's AuthorizeSSHKeys does nothing for an empty list.
	if (keys.empty())
		return {};

	const std::string &home = user.homeDir;
	std::string shownHome = go::pathJoin(root.path(), home);
	if (home.empty())
		return unexpected(Error("user " + go::quote(user.name) + " has no home directory", EINVAL));
	for (std::string_view part : splitPath(home)) {
		if (part == "..")
			return unexpected(Error("home directory " + go::quote(home) + " of user " +
						go::quote(user.name) + " contains \"..\"", EINVAL));
	}

	// strings.Join(keys, "\n"), newline-terminated unless it already is.
	std::string content;
	for (std::size_t i = 0; i < keys.size(); i++) {
		if (i > 0)
			content += '\n';
		content += keys[i];
	}
	if (content.empty() || content.back() != '\n')
		content += '\n';

	// The home itself may sit behind symlinks (/home -> var/home on
	// Fedora CoreOS); they are followed, but only inside the root. A
	// relative home is taken from the root, as filepath.Join would.
	std::string inRoot = home.front() == '/' ? home : "/" + home;
	Result<UniqueFd> homeFd = root.openFollowing(inRoot, O_RDONLY | O_DIRECTORY);
	if (!homeFd)
		return unexpected(homeFd.error().withContext("opening home directory"));

	std::string shownDir = shownHome + "/.ssh";
	Result<UniqueFd> dir = ensureUserDir(homeFd->get(), ".ssh", user, shownDir);
	if (!dir)
		return unexpected(dir.error());
	if (fragment) {
		shownDir += "/authorized_keys.d";
		Result<UniqueFd> sub = ensureUserDir(dir->get(), "authorized_keys.d", user, shownDir);
		if (!sub)
			return unexpected(sub.error());
		dir = std::move(sub);
	}

	const char *fileName = fragment ? "ignition" : "authorized_keys";
	std::string shownFile = shownDir + "/" + fileName;
	// O_NONBLOCK: a FIFO planted at the path must fail, not hang us.
	const int common = O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	bool created = true;
	int raw = openat(dir->get(), fileName, common | O_CREAT | O_EXCL, 0600);
	if (raw < 0 && errno == EEXIST) {
		created = false;
		raw = openat(dir->get(), fileName, common);
	}
	if (raw < 0)
		return unexpected(errnoError("opening file " + go::quote(shownFile)));
	UniqueFd file(raw);
	struct stat st;
	if (fstat(file.get(), &st) < 0)
		return unexpected(errnoError("stat " + go::quote(shownFile)));
	if (!S_ISREG(st.st_mode))
		return unexpected(Error("opening file " + go::quote(shownFile) + ": not a regular file", EINVAL));
	if (created) {
		if (fchown(file.get(), user.uid, user.gid) < 0)
			return unexpected(errnoError("changing owner of " + go::quote(shownFile)));
		if (fchmod(file.get(), 0600) < 0)
			return unexpected(errnoError("changing mode of " + go::quote(shownFile)));
	} else if (ftruncate(file.get(), 0) < 0) {
		return unexpected(errnoError("truncating " + go::quote(shownFile)));
	}
	if (Result<void> r = writeAll(file.get(), content); !r)
		return unexpected(r.error().withContext("writing file " + go::quote(shownFile)));
	if (close(file.release()) < 0)
		return unexpected(errnoError("closing file " + go::quote(shownFile)));
	return {};
}

} // namespace flint::system
