// Users and groups in a target root: shadow-utils argv as Ignition builds it, lookups, SSH keys.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"
#include "flint/system/root_dir.h"

namespace flint::system {

// A user as the caller wants it; unset fields are left to useradd's
// defaults (new user) or untouched (existing user).
struct UserSpec {
	std::string name;
	std::optional<uint32_t> uid;
	std::optional<std::string> passwordHash; // "" locks the password ("*")
	std::optional<std::string> gecos;
	std::optional<std::string> homeDir;
	std::optional<std::string> primaryGroup;
	std::optional<std::string> shell;
	std::vector<std::string> groups;
	bool noCreateHome = false;
	bool noUserGroup = false;
	bool system = false;
	bool noLogInit = false;
};

// A group as the caller wants it.
struct GroupSpec {
	std::string name;
	std::optional<uint32_t> gid;
	std::optional<std::string> passwordHash;
	bool system = false;
};

// One line of passwd(5).
struct PasswdEntry {
	std::string name;
	std::string password;
	uid_t uid = 0;
	gid_t gid = 0;
	std::string gecos;
	std::string homeDir;
	std::string shell;
};

// One line of group(5).
struct GroupEntry {
	std::string name;
	std::string password;
	gid_t gid = 0;
	std::vector<std::string> members;
};

// Full argv (argv[0] from flint/system/distro.h) for runTool(), flag for
// flag and in the order Ignition's EnsureUser/EnsureGroup build them.

// New user: useradd --root R [--home-dir H] --create-home|--no-create-home
// [--no-user-group] [--system] [--no-log-init] --password <hash|*> [--uid N]
// [--comment G] [--gid P] [--groups a,b] [--shell S] NAME.
std::vector<std::string> useraddArgs(const std::string &root, const UserSpec &user);
// Existing user: usermod --root R [--home H --move-home] [--password <hash|*>]
// [--uid N] [--comment G] [--gid P] [--groups a,b] [--shell S] NAME.
std::vector<std::string> usermodArgs(const std::string &root, const UserSpec &user);
// userdel --remove --root R NAME.
std::vector<std::string> userdelArgs(const std::string &root, const std::string &name);
// groupadd --root R [--gid N] --password <hash|*> [--system] NAME.
std::vector<std::string> groupaddArgs(const std::string &root, const GroupSpec &group);
// Existing group (Ignition HEAD): groupmod --root R [--gid N] --password <hash|*> NAME.
std::vector<std::string> groupmodArgs(const std::string &root, const GroupSpec &group);
// groupdel --root R NAME.
std::vector<std::string> groupdelArgs(const std::string &root, const std::string &name);

// Lookups read the target's files, never the host's NSS: <root>/etc/passwd
// then <root>/usr/lib/passwd (nss-altfiles, as on Fedora CoreOS), and the
// same for group; the first match wins. Comments, blank lines, NIS "+"/"-"
// lines and malformed lines are skipped. Files are read through
// RootDir::readFile(), so no symlink leads outside the root. A missing or
// unreadable file counts as empty: a user wrongly thought absent makes
// useradd fail loudly.
std::optional<PasswdEntry> lookupUser(RootDir &root, std::string_view name);
std::optional<PasswdEntry> lookupUserById(RootDir &root, uid_t uid);
std::optional<GroupEntry> lookupGroup(RootDir &root, std::string_view name);
std::optional<GroupEntry> lookupGroupById(RootDir &root, gid_t gid);

// Parsers for one file's text, exposed for tests and callers holding the
// contents already.
std::vector<PasswdEntry> parsePasswd(std::string_view text);
std::vector<GroupEntry> parseGroup(std::string_view text);

// Writes keys, joined with "\n" and newline-terminated, to
// <home>/.ssh/authorized_keys.d/ignition (fragment) or
// <home>/.ssh/authorized_keys, truncating what was there. The home
// directory is resolved inside root (RootDir::openFollowing(): symlinks
// re-rooted, the last one included); below it nothing is followed: a
// symlink at .ssh, authorized_keys.d or the file fails the write.
// Directories created are 0700 and the file, when created, 0600, all owned
// by the user's uid/gid as Ignition's writes as the user leave them;
// existing ones keep their mode and owner. A home containing ".." is refused.
[[nodiscard]] Result<void> writeAuthorizedKeys(RootDir &root, const PasswdEntry &user,
					       const std::vector<std::string> &keys, bool fragment);

} // namespace flint::system
