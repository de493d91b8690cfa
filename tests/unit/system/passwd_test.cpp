// Tests for the system layer's users and groups: Ignition's argv, target-root lookups, real shadow-utils, SSH keys.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "flint/system/distro.h"
#include "flint/system/exec.h"
#include "flint/system/passwd.h"
#include "flint/system/root_dir.h"

namespace fs = std::filesystem;
using namespace flint;
using namespace flint::system;

namespace {

using Argv = std::vector<std::string>;

const std::string kRoot = "/sysroot";

// Copies of Ignition's argv, built by reading EnsureUser/EnsureGroup/
// SetPasswordHash in internal/exec/util/passwd.go (groupmod as in HEAD).
struct ArgvCase {
	const char *name;
	std::function<Argv()> build;
	Argv want;
};

UserSpec user(std::function<void(UserSpec &)> f = {})
{
	UserSpec u;
	u.name = "core";
	if (f)
		f(u);
	return u;
}

GroupSpec group(std::function<void(GroupSpec &)> f = {})
{
	GroupSpec g;
	g.name = "docker";
	if (f)
		f(g);
	return g;
}

const std::vector<ArgvCase> kArgvCases = {
	{ "useradd minimal", [] { return useraddArgs(kRoot, user()); },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "*", "core" } },
	{ "useradd no create home", [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.noCreateHome = true; })); },
	  { "useradd", "--root", "/sysroot", "--no-create-home", "--password", "*", "core" } },
	{ "useradd home dir", [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.homeDir = "/var/core"; })); },
	  { "useradd", "--root", "/sysroot", "--home-dir", "/var/core", "--create-home", "--password", "*", "core" } },
	{ "useradd empty home dir is unset",
	  [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.homeDir = ""; })); },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "*", "core" } },
	{ "useradd booleans in order",
	  [] {
		  return useraddArgs(kRoot, user([](UserSpec &u) {
						     u.noLogInit = true;
						     u.system = true;
						     u.noUserGroup = true;
					     }));
	  },
	  { "useradd", "--root", "/sysroot", "--create-home", "--no-user-group", "--system", "--no-log-init",
	    "--password", "*", "core" } },
	{ "useradd password hash",
	  [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.passwordHash = "$6$salt$hash"; })); },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "$6$salt$hash", "core" } },
	{ "useradd empty password hash locks",
	  [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.passwordHash = ""; })); },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "*", "core" } },
	{ "useradd uid zero", [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.uid = 0; })); },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "*", "--uid", "0", "core" } },
	{ "useradd uid max", [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.uid = 4294967295u; })); },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "*", "--uid", "4294967295", "core" } },
	{ "useradd every field",
	  [] {
		  return useraddArgs(kRoot, user([](UserSpec &u) {
						     u.uid = 1000;
						     u.passwordHash = "h";
						     u.gecos = "CoreOS Admin";
						     u.homeDir = "/home/core";
						     u.primaryGroup = "wheel";
						     u.shell = "/bin/zsh";
						     u.groups = { "sudo", "docker" };
						     u.noCreateHome = true;
						     u.noUserGroup = true;
						     u.system = true;
						     u.noLogInit = true;
					     }));
	  },
	  { "useradd", "--root", "/sysroot", "--home-dir", "/home/core", "--no-create-home", "--no-user-group",
	    "--system", "--no-log-init", "--password", "h", "--uid", "1000", "--comment", "CoreOS Admin", "--gid",
	    "wheel", "--groups", "sudo,docker", "--shell", "/bin/zsh", "core" } },
	{ "useradd empty strings are unset",
	  [] {
		  return useraddArgs(kRoot, user([](UserSpec &u) {
						     u.gecos = "";
						     u.primaryGroup = "";
						     u.shell = "";
					     }));
	  },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "*", "core" } },
	{ "useradd one group", [] { return useraddArgs(kRoot, user([](UserSpec &u) { u.groups = { "wheel" }; })); },
	  { "useradd", "--root", "/sysroot", "--create-home", "--password", "*", "--groups", "wheel", "core" } },
	{ "usermod minimal leaves password", [] { return usermodArgs(kRoot, user()); },
	  { "usermod", "--root", "/sysroot", "core" } },
	{ "usermod home moves it",
	  [] { return usermodArgs(kRoot, user([](UserSpec &u) { u.homeDir = "/var/home/core"; })); },
	  { "usermod", "--root", "/sysroot", "--home", "/var/home/core", "--move-home", "core" } },
	{ "usermod ignores add-only flags",
	  [] {
		  return usermodArgs(kRoot, user([](UserSpec &u) {
						     u.noCreateHome = true;
						     u.noUserGroup = true;
						     u.system = true;
						     u.noLogInit = true;
					     }));
	  },
	  { "usermod", "--root", "/sysroot", "core" } },
	{ "usermod empty password hash locks",
	  [] { return usermodArgs(kRoot, user([](UserSpec &u) { u.passwordHash = ""; })); },
	  { "usermod", "--root", "/sysroot", "--password", "*", "core" } },
	{ "usermod every field",
	  [] {
		  return usermodArgs(kRoot, user([](UserSpec &u) {
						     u.uid = 1001;
						     u.passwordHash = "h";
						     u.gecos = "G";
						     u.homeDir = "/h";
						     u.primaryGroup = "100";
						     u.shell = "/bin/sh";
						     u.groups = { "a", "b", "c" };
					     }));
	  },
	  { "usermod", "--root", "/sysroot", "--home", "/h", "--move-home", "--password", "h", "--uid", "1001",
	    "--comment", "G", "--gid", "100", "--groups", "a,b,c", "--shell", "/bin/sh", "core" } },
	{ "userdel", [] { return userdelArgs(kRoot, "core"); },
	  { "userdel", "--remove", "--root", "/sysroot", "core" } },
	{ "groupadd minimal", [] { return groupaddArgs(kRoot, group()); },
	  { "groupadd", "--root", "/sysroot", "--password", "*", "docker" } },
	{ "groupadd every field",
	  [] {
		  return groupaddArgs(kRoot, group([](GroupSpec &g) {
						      g.gid = 990;
						      g.passwordHash = "gh";
						      g.system = true;
					      }));
	  },
	  { "groupadd", "--root", "/sysroot", "--gid", "990", "--password", "gh", "--system", "docker" } },
	{ "groupadd empty password hash", [] { return groupaddArgs(kRoot, group([](GroupSpec &g) { g.passwordHash = ""; })); },
	  { "groupadd", "--root", "/sysroot", "--password", "*", "docker" } },
	{ "groupmod gid and no system",
	  [] {
		  return groupmodArgs(kRoot, group([](GroupSpec &g) {
						      g.gid = 991;
						      g.system = true;
					      }));
	  },
	  { "groupmod", "--root", "/sysroot", "--gid", "991", "--password", "*", "docker" } },
	{ "groupmod password", [] { return groupmodArgs(kRoot, group([](GroupSpec &g) { g.passwordHash = "gh"; })); },
	  { "groupmod", "--root", "/sysroot", "--password", "gh", "docker" } },
	{ "groupdel", [] { return groupdelArgs(kRoot, "docker"); }, { "groupdel", "--root", "/sysroot", "docker" } },
};

// The program each case's argv[0] names, as the distro table has it.
std::string programFor(const std::string &tool)
{
	const std::map<std::string, const char *> table = {
		{ "useradd", distro::kUseraddCmd },   { "usermod", distro::kUsermodCmd },
		{ "userdel", distro::kUserdelCmd },   { "groupadd", distro::kGroupaddCmd },
		{ "groupmod", distro::kGroupmodCmd }, { "groupdel", distro::kGroupdelCmd },
	};
	return table.at(tool);
}

TEST(PasswdArgv, MatchesIgnition)
{
	ASSERT_GE(kArgvCases.size(), 15u);
	for (const ArgvCase &c : kArgvCases) {
		Argv want = c.want;
		want[0] = programFor(want[0]);
		EXPECT_EQ(c.build(), want) << c.name;
	}
}

// Each entry is its default, or an absolute path a distribution chose at
// build time (-Ddistro_useradd=/usr/sbin/useradd).
TEST(Distro, DefaultsOrAbsolutePaths)
{
	const std::pair<const char *, const char *> entries[] = {
		{ distro::kUseraddCmd, "useradd" },
		{ distro::kUsermodCmd, "usermod" },
		{ distro::kUserdelCmd, "userdel" },
		{ distro::kGroupaddCmd, "groupadd" },
		{ distro::kGroupmodCmd, "groupmod" },
		{ distro::kGroupdelCmd, "groupdel" },
		{ distro::kSystemctlCmd, "systemctl" },
		{ distro::kSetfilesCmd, "setfiles" },
		{ distro::kKargsHelperCmd, "ignition-kargs-helper" },
		{ distro::kIsLiveImageCmd, "is-live-image" },
		{ distro::kResultFilePath, "/etc/.ignition-result.json" },
		{ distro::kBootIdPath, "/proc/sys/kernel/random/boot_id" },
		{ distro::kSelinuxConfigPath, "/etc/selinux/config" },
	};
	for (const auto &[value, def] : entries) {
		std::string_view v = value;
		EXPECT_TRUE(v == def || (!v.empty() && v.front() == '/')) << def << " is set to " << v;
	}
}

// A temporary directory removed with everything in it.
class TempDir final
{
public:
	TempDir()
	{
		char tmpl[] = "/tmp/flint-passwd-XXXXXX";
		const char *p = mkdtemp(tmpl);
		if (!p)
			throw std::runtime_error("mkdtemp failed");
		path_ = p;
	}
	~TempDir()
	{
		std::error_code ec;
		fs::remove_all(path_, ec);
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	const std::string &path() const { return path_; }

private:
	std::string path_;
};

void writeFile(const std::string &path, const std::string &text)
{
	fs::create_directories(fs::path(path).parent_path());
	std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string readFile(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// The line of a colon file whose first field is `name`, or "".
std::string lineFor(const std::string &path, const std::string &name)
{
	std::istringstream in(readFile(path));
	std::string line;
	while (std::getline(in, line)) {
		if (line.rfind(name + ":", 0) == 0)
			return line;
	}
	return "";
}

RootDir openRoot(const std::string &path, RootDir::Resolver resolver = RootDir::Resolver::Auto)
{
	Result<RootDir> r = RootDir::open(path, resolver);
	if (!r)
		throw std::runtime_error(r.error().message());
	return std::move(*r);
}

std::string resolverName(const ::testing::TestParamInfo<RootDir::Resolver> &info)
{
	return info.param == RootDir::Resolver::Auto ? "openat2" : "walk";
}

TEST(PasswdParse, SkipsNoise)
{
	std::vector<PasswdEntry> e = parsePasswd("# comment\n"
						 "\n"
						 "root:x:0:0:root:/root:/bin/bash\n"
						 "short:x:1:1\n"
						 "baduid:x:abc:1::/:/bin/sh\n"
						 "negative:x:-1:1::/:/bin/sh\n"
						 "huge:x:4294967296:1::/:/bin/sh\n"
						 ":x:5:5::/:/bin/sh\n"
						 "+nis::::::\n"
						 "-nis::::::\n"
						 "core:$6$h:1000:1000:Core User,,,:/var/home/core:/bin/a:b\n"
						 "nonl:x:7:8:::");
	ASSERT_EQ(e.size(), 3u);
	EXPECT_EQ(e[0].name, "root");
	EXPECT_EQ(e[0].homeDir, "/root");
	EXPECT_EQ(e[1].name, "core");
	EXPECT_EQ(e[1].password, "$6$h");
	EXPECT_EQ(e[1].uid, 1000u);
	EXPECT_EQ(e[1].gid, 1000u);
	EXPECT_EQ(e[1].gecos, "Core User,,,");
	EXPECT_EQ(e[1].homeDir, "/var/home/core");
	EXPECT_EQ(e[1].shell, "/bin/a:b");
	EXPECT_EQ(e[2].name, "nonl");
	EXPECT_EQ(e[2].uid, 7u);
	EXPECT_EQ(e[2].gid, 8u);
	EXPECT_EQ(e[2].shell, "");
}

TEST(PasswdParse, Groups)
{
	std::vector<GroupEntry> e = parseGroup("# c\n"
					       "wheel:x:10:core,,admin\n"
					       "empty:x:11:\n"
					       "short:x:12\n"
					       "bad:x:1x:\n"
					       "max:x:4294967295:a");
	ASSERT_EQ(e.size(), 3u);
	EXPECT_EQ(e[0].name, "wheel");
	EXPECT_EQ(e[0].gid, 10u);
	EXPECT_EQ(e[0].members, (std::vector<std::string>{ "core", "admin" }));
	EXPECT_TRUE(e[1].members.empty());
	EXPECT_EQ(e[2].gid, 4294967295u);
}

TEST(PasswdLookup, EtcThenUsrLib)
{
	TempDir root;
	writeFile(root.path() + "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"
					       "core:x:1000:1000::/home/core:/bin/bash\n");
	writeFile(root.path() + "/usr/lib/passwd", "core:x:2000:2000::/usr/core:/bin/sh\n"
						   "bin:x:1:1:bin:/bin:/sbin/nologin\n");
	writeFile(root.path() + "/etc/group", "root:x:0:\nwheel:x:10:core\n");
	writeFile(root.path() + "/usr/lib/group", "wheel:x:99:\nsudo:x:16:\n");
	RootDir r = openRoot(root.path());

	std::optional<PasswdEntry> core = lookupUser(r, "core");
	ASSERT_TRUE(core);
	EXPECT_EQ(core->uid, 1000u); // /etc wins over /usr/lib
	EXPECT_EQ(core->homeDir, "/home/core");
	std::optional<PasswdEntry> bin = lookupUser(r, "bin");
	ASSERT_TRUE(bin);
	EXPECT_EQ(bin->shell, "/sbin/nologin");
	EXPECT_FALSE(lookupUser(r, "nobody"));
	EXPECT_FALSE(lookupUser(r, "cor"));

	ASSERT_TRUE(lookupUserById(r, 1));
	EXPECT_EQ(lookupUserById(r, 1)->name, "bin");
	EXPECT_EQ(lookupUserById(r, 1000)->name, "core");
	// As with NSS's files then altfiles, each file is searched on its own:
	// the shadowed "core" of /usr/lib still answers for its uid.
	ASSERT_TRUE(lookupUserById(r, 2000));
	EXPECT_EQ(lookupUserById(r, 2000)->homeDir, "/usr/core");
	EXPECT_FALSE(lookupUserById(r, 3000));
}

TEST(PasswdLookup, GroupsEtcThenUsrLib)
{
	TempDir root;
	writeFile(root.path() + "/etc/group", "root:x:0:\nwheel:x:10:core\n");
	writeFile(root.path() + "/usr/lib/group", "wheel:x:99:\nsudo:x:16:a,b\n");
	RootDir r = openRoot(root.path());
	EXPECT_EQ(lookupGroup(r, "wheel")->gid, 10u);
	EXPECT_EQ(lookupGroup(r, "sudo")->members, (std::vector<std::string>{ "a", "b" }));
	EXPECT_FALSE(lookupGroup(r, "docker"));
	EXPECT_EQ(lookupGroupById(r, 16)->name, "sudo");
	EXPECT_EQ(lookupGroupById(r, 99)->name, "wheel");
	EXPECT_FALSE(lookupGroupById(r, 5));
}

TEST(PasswdLookup, OnlyUsrLib)
{
	TempDir root;
	writeFile(root.path() + "/usr/lib/passwd", "core:x:1000:1000::/var/home/core:/bin/bash\n");
	RootDir r = openRoot(root.path());
	ASSERT_TRUE(lookupUser(r, "core"));
	EXPECT_FALSE(lookupUser(r, "root"));
	EXPECT_FALSE(lookupGroup(r, "root"));
}

class PasswdLookupResolvers : public ::testing::TestWithParam<RootDir::Resolver>
{
};

INSTANTIATE_TEST_SUITE_P(Resolvers, PasswdLookupResolvers,
			 ::testing::Values(RootDir::Resolver::Auto, RootDir::Resolver::Userspace), resolverName);

TEST_P(PasswdLookupResolvers, SymlinksStayInRoot)
{
	TempDir root, host;
	RootDir r = openRoot(root.path(), GetParam());
	writeFile(host.path() + "/passwd", "hostonly:x:4242:4242::/:/bin/sh\n");
	// An absolute symlink is resolved inside the root, so it names
	// <root><host>/passwd, which does not exist.
	fs::create_directories(root.path() + "/etc");
	fs::create_symlink(host.path() + "/passwd", root.path() + "/etc/passwd");
	EXPECT_FALSE(lookupUser(r, "hostonly"));
	// A relative one climbing out is clamped at the root too.
	fs::create_directories(root.path() + "/usr/lib");
	fs::create_symlink("../../../../../../../../.." + host.path() + "/passwd", root.path() + "/usr/lib/passwd");
	EXPECT_FALSE(lookupUser(r, "hostonly"));
	// While a symlink to a file inside the root is followed.
	writeFile(root.path() + "/usr/share/passwd", "inroot:x:1:1::/:/bin/sh\n");
	fs::remove(root.path() + "/etc/passwd");
	fs::create_symlink("/usr/share/passwd", root.path() + "/etc/passwd");
	EXPECT_TRUE(lookupUser(r, "inroot"));
}

TEST(Exec, ErrorTextMatchesLogCmd)
{
	EXPECT_TRUE(runTool({ "true" }));

	Result<void> r = runTool({ "sh", "-c", "echo out; echo 'e\"rr' >&2; exit 3" });
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "exit status 3: Cmd: \"sh\" \"-c\" \"echo out; echo 'e\\\"rr' >&2; exit 3\" "
				       "Stdout: \"out\\n\" Stderr: \"e\\\"rr\\n\"");

	r = runTool({ "flint-no-such-tool", "--root", "/x" });
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "exec: \"flint-no-such-tool\": executable file not found in $PATH: "
				       "Cmd: \"flint-no-such-tool\" \"--root\" \"/x\" Stdout: \"\" Stderr: \"\"");

	r = runTool({ "sh", "-c", "kill -TERM $$" });
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message().rfind("signal: Terminated: Cmd: ", 0), 0u) << r.error().message();

	Result<ExecOutput> o = execCapture({ "sh", "-c", "head -c 200000 /dev/zero >&2; echo done" });
	ASSERT_TRUE(o);
	EXPECT_EQ(o->err.size(), 200000u);
	EXPECT_EQ(o->out, "done\n");
}

// A scratch root holding just enough for shadow-utils' --root mode.
class ShadowRoot : public ::testing::Test
{
protected:
	void SetUp() override
	{
		if (geteuid() != 0)
			GTEST_SKIP() << "shadow-utils --root needs root";
		r_ = root_.path();
		dir_.emplace(openRoot(r_));
		writeFile(r_ + "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
		writeFile(r_ + "/etc/group", "root:x:0:\nwheel:x:10:\n");
		writeFile(r_ + "/etc/shadow", "root:*:19000:0:99999:7:::\n");
		writeFile(r_ + "/etc/gshadow", "root:*::\nwheel:*::\n");
		writeFile(r_ + "/etc/login.defs", "UID_MIN 1000\nUID_MAX 60000\nGID_MIN 1000\nGID_MAX 60000\n"
						  "SYS_UID_MIN 100\nSYS_UID_MAX 999\nSYS_GID_MIN 100\n"
						  "SYS_GID_MAX 999\nUMASK 022\nUSERGROUPS_ENAB yes\n");
		writeFile(r_ + "/etc/skel/.bashrc", "# skel\n");
		fs::create_directories(r_ + "/home");
		for (const char *f : { "/etc/shadow", "/etc/gshadow" })
			chmod((r_ + f).c_str(), 0600);
	}

	void run(const Argv &argv)
	{
		Result<void> r = runTool(argv);
		ASSERT_TRUE(r) << r.error().message();
	}

	RootDir &dir() { return *dir_; }

	TempDir root_;
	std::string r_;
	std::optional<RootDir> dir_;
};

TEST_F(ShadowRoot, GroupsAddModDel)
{
	run(groupaddArgs(r_, group([](GroupSpec &g) { g.gid = 1500; })));
	EXPECT_EQ(lineFor(r_ + "/etc/group", "docker"), "docker:x:1500:");
	EXPECT_EQ(lineFor(r_ + "/etc/gshadow", "docker"), "docker:*::");
	ASSERT_TRUE(lookupGroup(dir(), "docker"));

	run(groupaddArgs(r_, GroupSpec{ "sys", std::nullopt, "$6$g", true }));
	std::optional<GroupEntry> sys = lookupGroup(dir(), "sys");
	ASSERT_TRUE(sys);
	EXPECT_GE(sys->gid, 100u);
	EXPECT_LE(sys->gid, 999u);
	EXPECT_EQ(lineFor(r_ + "/etc/gshadow", "sys"), "sys:$6$g::");

	// An existing group is modified, as Ignition HEAD does, not re-added.
	EXPECT_FALSE(runTool(groupaddArgs(r_, group())));
	run(groupmodArgs(r_, group([](GroupSpec &g) {
				 g.gid = 1600;
				 g.passwordHash = "$6$new";
			 })));
	EXPECT_EQ(lineFor(r_ + "/etc/group", "docker"), "docker:x:1600:");
	EXPECT_EQ(lineFor(r_ + "/etc/gshadow", "docker"), "docker:$6$new::");

	run(groupdelArgs(r_, "docker"));
	EXPECT_EQ(lineFor(r_ + "/etc/group", "docker"), "");
	EXPECT_FALSE(lookupGroup(dir(), "docker"));
}

TEST_F(ShadowRoot, UsersAddModDel)
{
	run(groupaddArgs(r_, group([](GroupSpec &g) { g.gid = 1500; })));
	run(useraddArgs(r_, user([](UserSpec &u) {
				u.uid = 1000;
				u.gecos = "CoreOS Admin";
				u.groups = { "wheel", "docker" };
				u.shell = "/bin/sh";
			})));
	EXPECT_EQ(lineFor(r_ + "/etc/passwd", "core"), "core:x:1000:1000:CoreOS Admin:/home/core:/bin/sh");
	EXPECT_EQ(lineFor(r_ + "/etc/shadow", "core").rfind("core:*:", 0), 0u) << lineFor(r_ + "/etc/shadow", "core");
	EXPECT_EQ(lineFor(r_ + "/etc/group", "wheel"), "wheel:x:10:core");
	EXPECT_EQ(lineFor(r_ + "/etc/group", "docker"), "docker:x:1500:core");
	EXPECT_EQ(lineFor(r_ + "/etc/group", "core"), "core:x:1000:");
	struct stat st;
	ASSERT_EQ(stat((r_ + "/home/core").c_str(), &st), 0);
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(st.st_uid, 1000u);
	EXPECT_EQ(st.st_gid, 1000u);
	EXPECT_TRUE(fs::exists(r_ + "/home/core/.bashrc"));

	std::optional<PasswdEntry> core = lookupUser(dir(), "core");
	ASSERT_TRUE(core);
	EXPECT_EQ(core->homeDir, "/home/core");

	// What the stage does for an existing user: one usermod, the hash
	// included.
	run(usermodArgs(r_, user([](UserSpec &u) {
				u.homeDir = "/home/admin";
				u.shell = "/bin/bash";
				u.groups = { "wheel" };
				u.passwordHash = "$6$salt$abc";
			})));
	EXPECT_EQ(lineFor(r_ + "/etc/passwd", "core"), "core:x:1000:1000:CoreOS Admin:/home/admin:/bin/bash");
	EXPECT_EQ(lineFor(r_ + "/etc/shadow", "core").rfind("core:$6$salt$abc:", 0), 0u);
	EXPECT_EQ(lineFor(r_ + "/etc/group", "docker"), "docker:x:1500:");
	EXPECT_FALSE(fs::exists(r_ + "/home/core"));
	EXPECT_TRUE(fs::exists(r_ + "/home/admin/.bashrc"));

	run(useraddArgs(r_, UserSpec{ .name = "svc",
				      .uid = std::nullopt,
				      .passwordHash = "",
				      .gecos = std::nullopt,
				      .homeDir = std::nullopt,
				      .primaryGroup = "wheel",
				      .shell = std::nullopt,
				      .groups = {},
				      .noCreateHome = true,
				      .noUserGroup = true,
				      .system = true,
				      .noLogInit = true }));
	std::optional<PasswdEntry> svc = lookupUser(dir(), "svc");
	ASSERT_TRUE(svc);
	EXPECT_GE(svc->uid, 100u);
	EXPECT_LE(svc->uid, 999u);
	EXPECT_EQ(svc->gid, 10u);
	EXPECT_FALSE(lookupGroup(dir(), "svc"));
	EXPECT_FALSE(fs::exists(r_ + svc->homeDir));
	EXPECT_EQ(lineFor(r_ + "/etc/shadow", "svc").rfind("svc:*:", 0), 0u);

	run(userdelArgs(r_, "core"));
	EXPECT_EQ(lineFor(r_ + "/etc/passwd", "core"), "");
	EXPECT_EQ(lineFor(r_ + "/etc/shadow", "core"), "");
	EXPECT_FALSE(fs::exists(r_ + "/home/admin"));
	EXPECT_FALSE(lookupUser(dir(), "core"));
}

TEST_F(ShadowRoot, UseraddFailureText)
{
	run(useraddArgs(r_, user()));
	Result<void> r = runTool(useraddArgs(r_, user()));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message().rfind("exit status 9: Cmd: \"" + std::string(distro::kUseraddCmd) +
						    "\" \"--root\" \"" + r_ +
						    "\" \"--create-home\" \"--password\" \"<redacted>\" \"core\" Stdout: \"\" Stderr: \"",
					    0),
		  0u)
		<< r.error().message();
}

// SSH keys: a root with "core" (1000:1000) whose home exists, as useradd
// leaves it; /home is the symlink Fedora CoreOS has, to test re-rooting.
class AuthorizedKeys : public ::testing::TestWithParam<RootDir::Resolver>
{
protected:
	void SetUp() override
	{
		if (geteuid() != 0)
			GTEST_SKIP() << "chown to another user needs root";
		r_ = root_.path();
		dir_.emplace(openRoot(r_, GetParam()));
		fs::create_directories(r_ + "/var/home/core");
		fs::create_symlink("/var/home", r_ + "/home");
		chown((r_ + "/var/home/core").c_str(), 1000, 1000);
		core_ = PasswdEntry{ "core", "x", 1000, 1000, "", "/home/core", "/bin/bash" };
	}

	static void expectNode(const std::string &path, mode_t type, mode_t mode, uid_t uid, gid_t gid)
	{
		struct stat st;
		ASSERT_EQ(lstat(path.c_str(), &st), 0) << path;
		EXPECT_EQ(st.st_mode & S_IFMT, type) << path;
		EXPECT_EQ(st.st_mode & 07777, mode) << path;
		EXPECT_EQ(st.st_uid, uid) << path;
		EXPECT_EQ(st.st_gid, gid) << path;
	}

	RootDir &dir() { return *dir_; }

	TempDir root_;
	std::string r_;
	std::optional<RootDir> dir_;
	PasswdEntry core_;
};

INSTANTIATE_TEST_SUITE_P(Resolvers, AuthorizedKeys,
			 ::testing::Values(RootDir::Resolver::Auto, RootDir::Resolver::Userspace), resolverName);

TEST_P(AuthorizedKeys, Fragment)
{
	Result<void> r = writeAuthorizedKeys(dir(), core_, { "ssh-ed25519 AAAA a", "ssh-rsa BBBB b" }, true);
	ASSERT_TRUE(r) << r.error().message();
	std::string base = r_ + "/var/home/core/.ssh";
	EXPECT_EQ(readFile(base + "/authorized_keys.d/ignition"), "ssh-ed25519 AAAA a\nssh-rsa BBBB b\n");
	expectNode(base, S_IFDIR, 0700, 1000, 1000);
	expectNode(base + "/authorized_keys.d", S_IFDIR, 0700, 1000, 1000);
	expectNode(base + "/authorized_keys.d/ignition", S_IFREG, 0600, 1000, 1000);
	EXPECT_FALSE(fs::exists(base + "/authorized_keys"));

	// Rewritten, not appended; a key already newline-terminated gets no second one.
	r = writeAuthorizedKeys(dir(), core_, { "ssh-ed25519 CCCC c\n" }, true);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(readFile(base + "/authorized_keys.d/ignition"), "ssh-ed25519 CCCC c\n");

	// No keys: nothing happens, as in Ignition.
	ASSERT_TRUE(writeAuthorizedKeys(dir(), core_, {}, true));
	EXPECT_EQ(readFile(base + "/authorized_keys.d/ignition"), "ssh-ed25519 CCCC c\n");
}

TEST_P(AuthorizedKeys, PlainFileAndExistingDirs)
{
	// An existing .ssh keeps its mode and owner, as Ignition's MkdirAll leaves it.
	std::string ssh = r_ + "/var/home/core/.ssh";
	fs::create_directories(ssh);
	chmod(ssh.c_str(), 0755);
	writeFile(ssh + "/authorized_keys", "old key that is much longer than the new one\n");
	chmod((ssh + "/authorized_keys").c_str(), 0644);

	Result<void> r = writeAuthorizedKeys(dir(), core_, { "k1", "", "k3" }, false);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(readFile(ssh + "/authorized_keys"), "k1\n\nk3\n");
	expectNode(ssh, S_IFDIR, 0755, 0, 0);
	expectNode(ssh + "/authorized_keys", S_IFREG, 0644, 0, 0);
	EXPECT_FALSE(fs::exists(ssh + "/authorized_keys.d"));
}

TEST_P(AuthorizedKeys, RootUser)
{
	fs::create_directories(r_ + "/root");
	chmod((r_ + "/root").c_str(), 0700);
	PasswdEntry root{ "root", "x", 0, 0, "root", "/root", "/bin/bash" };
	ASSERT_TRUE(writeAuthorizedKeys(dir(), root, { "k" }, true));
	expectNode(r_ + "/root/.ssh/authorized_keys.d/ignition", S_IFREG, 0600, 0, 0);
}

TEST_P(AuthorizedKeys, SymlinkedSshDirRefused)
{
	TempDir host;
	fs::create_symlink(host.path(), r_ + "/var/home/core/.ssh");
	Result<void> r = writeAuthorizedKeys(dir(), core_, { "k" }, true);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find(".ssh"), std::string::npos) << r.error().message();
	EXPECT_TRUE(fs::is_empty(host.path()));
	expectNode(host.path(), S_IFDIR, 0700, 0, 0); // mkdtemp's, not chowned
	r = writeAuthorizedKeys(dir(), core_, { "k" }, false);
	ASSERT_FALSE(r);
	EXPECT_TRUE(fs::is_empty(host.path()));
}

TEST_P(AuthorizedKeys, SymlinkedFragmentDirRefused)
{
	TempDir host;
	fs::create_directories(r_ + "/var/home/core/.ssh");
	fs::create_symlink(host.path(), r_ + "/var/home/core/.ssh/authorized_keys.d");
	ASSERT_FALSE(writeAuthorizedKeys(dir(), core_, { "k" }, true));
	EXPECT_TRUE(fs::is_empty(host.path()));
}

TEST_P(AuthorizedKeys, SymlinkedFileRefused)
{
	TempDir host;
	writeFile(host.path() + "/victim", "precious\n");
	fs::create_directories(r_ + "/var/home/core/.ssh");
	fs::create_symlink(host.path() + "/victim", r_ + "/var/home/core/.ssh/authorized_keys");
	ASSERT_FALSE(writeAuthorizedKeys(dir(), core_, { "k" }, false));
	EXPECT_EQ(readFile(host.path() + "/victim"), "precious\n");
	expectNode(host.path() + "/victim", S_IFREG, 0644, 0, 0);
}

TEST_P(AuthorizedKeys, FifoRefused)
{
	fs::create_directories(r_ + "/var/home/core/.ssh");
	ASSERT_EQ(mkfifo((r_ + "/var/home/core/.ssh/authorized_keys").c_str(), 0600), 0);
	Result<void> r = writeAuthorizedKeys(dir(), core_, { "k" }, false);
	ASSERT_FALSE(r);
}

TEST_P(AuthorizedKeys, HomeItselfASymlinkFollowedInsideRoot)
{
	// The home's last component may be a link too; absolute targets restart
	// at the root, so both land in <root>/var/home/core.
	fs::create_symlink("/var/home/core", r_ + "/var/home/abs");
	fs::create_symlink("../../../../../var/home/core", r_ + "/var/home/rel");
	for (const char *home : { "/home/abs", "/home/rel" }) {
		SCOPED_TRACE(home);
		PasswdEntry linked = core_;
		linked.homeDir = home;
		Result<void> r = writeAuthorizedKeys(dir(), linked, { home }, false);
		ASSERT_TRUE(r) << r.error().message();
		EXPECT_EQ(readFile(r_ + "/var/home/core/.ssh/authorized_keys"), std::string(home) + "\n");
	}

	// A link naming a host directory means that path inside the root.
	TempDir host;
	fs::create_directories(r_ + host.path());
	fs::create_symlink(host.path(), r_ + "/var/home/hostabs");
	PasswdEntry hostabs = core_;
	hostabs.homeDir = "/home/hostabs";
	ASSERT_TRUE(writeAuthorizedKeys(dir(), hostabs, { "k" }, false));
	EXPECT_EQ(readFile(r_ + host.path() + "/.ssh/authorized_keys"), "k\n");
	EXPECT_TRUE(fs::is_empty(host.path()));

	fs::create_symlink("loop", r_ + "/var/home/loop");
	PasswdEntry looped = core_;
	looped.homeDir = "/home/loop";
	Result<void> r = writeAuthorizedKeys(dir(), looped, { "k" }, false);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ELOOP);
	EXPECT_EQ(r.error().message().rfind("opening home directory: open " + r_ + "/home/loop: ", 0), 0u)
		<< r.error().message();
}

TEST_P(AuthorizedKeys, HomeOutsideRootRefused)
{
	TempDir host;
	// An absolute symlink as the home is re-rooted: <root><host> does not exist.
	fs::create_symlink(host.path(), r_ + "/var/home/evil");
	PasswdEntry evil = core_;
	evil.homeDir = "/home/evil";
	ASSERT_FALSE(writeAuthorizedKeys(dir(), evil, { "k" }, true));
	EXPECT_TRUE(fs::is_empty(host.path()));

	evil.homeDir = "/home/core/../../../../" + host.path();
	Result<void> r = writeAuthorizedKeys(dir(), evil, { "k" }, true);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("\"..\""), std::string::npos) << r.error().message();
	EXPECT_TRUE(fs::is_empty(host.path()));

	evil.homeDir = "/home/nobody";
	ASSERT_FALSE(writeAuthorizedKeys(dir(), evil, { "k" }, true));
}

} // namespace
