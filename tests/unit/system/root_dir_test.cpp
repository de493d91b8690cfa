// Unit tests for RootDir: every write stays inside the root, whatever symlinks the image holds, on both resolvers.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "flint/system/root_dir.h"

namespace flint::system {
namespace {

namespace fs = std::filesystem;

std::string readFile(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

void writeFile(const std::string &path, const std::string &data)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out << data;
}

void writeAll(int fd, const std::string &data)
{
	ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
}

// Everything observable about a host tree: type, mode, owner, content or
// link target of each entry, keyed by relative path.
std::map<std::string, std::string> snapshot(const std::string &dir)
{
	std::map<std::string, std::string> out;
	for (const auto &e : fs::recursive_directory_iterator(dir)) {
		struct stat st;
		EXPECT_EQ(::lstat(e.path().c_str(), &st), 0);
		std::string desc = std::to_string(st.st_mode) + " " + std::to_string(st.st_uid) + ":" +
				   std::to_string(st.st_gid) + " ";
		if (S_ISREG(st.st_mode))
			desc += readFile(e.path());
		else if (S_ISLNK(st.st_mode))
			desc += fs::read_symlink(e.path()).string();
		out[fs::relative(e.path(), dir).string()] = desc;
	}
	return out;
}

// A scratch tree: <base>/root is the root, <base>/host the host files an
// escape would reach; the host tree must look the same after every test.
class RootDirTest : public ::testing::TestWithParam<RootDir::Resolver>
{
protected:
	void SetUp() override
	{
		oldUmask_ = ::umask(022);
		char tmpl[] = "/tmp/flint-rootdir-XXXXXX";
		ASSERT_NE(::mkdtemp(tmpl), nullptr);
		base_ = tmpl;
		root_ = base_ + "/root";
		host_ = base_ + "/host";
		fs::create_directories(root_);
		fs::create_directories(host_ + "/etc/sub");
		writeFile(host_ + "/sentinel", "host file\n");
		writeFile(host_ + "/etc/x", "host x\n");
		writeFile(host_ + "/etc/sub/keep", "keep\n");
		::chmod((host_ + "/sentinel").c_str(), 0600);
		hostBefore_ = snapshot(host_);

		auto r = RootDir::open(root_, GetParam());
		ASSERT_TRUE(r) << r.error().message();
		dir_.emplace(std::move(*r));
	}

	void TearDown() override
	{
		EXPECT_EQ(snapshot(host_), hostBefore_) << "the host tree outside the root changed";
		dir_.reset();
		fs::remove_all(base_);
		::umask(oldUmask_);
	}

	RootDir &dir() { return *dir_; }
	std::string in(const std::string &rel) const { return root_ + rel; }
	void link(const std::string &target, const std::string &rel)
	{
		ASSERT_EQ(::symlink(target.c_str(), in(rel).c_str()), 0) << rel;
	}
	bool existsNoFollow(const std::string &path) const
	{
		struct stat st;
		return ::lstat(path.c_str(), &st) == 0;
	}
	void writeThroughTemp(const std::string &path, const std::string &data)
	{
		auto t = dir().createTempBeside(path);
		ASSERT_TRUE(t) << t.error().message();
		writeAll(t->fd(), data);
		auto c = t->commit();
		ASSERT_TRUE(c) << c.error().message();
	}

	std::string base_, root_, host_;
	std::map<std::string, std::string> hostBefore_;
	std::optional<RootDir> dir_;
	mode_t oldUmask_ = 022;
};

INSTANTIATE_TEST_SUITE_P(Resolvers, RootDirTest,
			 ::testing::Values(RootDir::Resolver::Auto, RootDir::Resolver::Userspace),
			 [](const auto &info) {
				 return info.param == RootDir::Resolver::Auto ? "openat2" : "walk";
			 });

TEST_P(RootDirTest, OpenMissingRootFails)
{
	auto r = RootDir::open(base_ + "/nope", GetParam());
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
	EXPECT_NE(r.error().message().find(base_ + "/nope"), std::string::npos);
}

TEST_P(RootDirTest, ResolverInUse)
{
	ASSERT_TRUE(dir().mkdirAll("/a", 0755));
	ASSERT_TRUE(dir().parentOf("/a/x"));
	// This kernel has openat2, so only the forced walk uses userspace.
	EXPECT_EQ(dir().usesUserspaceWalk(), GetParam() == RootDir::Resolver::Userspace);
}

TEST_P(RootDirTest, CreatesFileNormally)
{
	auto created = dir().mkdirAll("/etc/ssh", 0755);
	ASSERT_TRUE(created) << created.error().message();
	EXPECT_EQ(*created, (std::vector<std::string>{ "/etc", "/etc/ssh" }));
	writeThroughTemp("/etc/ssh/config", "hello\n");
	EXPECT_EQ(readFile(in("/etc/ssh/config")), "hello\n");
	struct stat st;
	ASSERT_EQ(::stat(in("/etc/ssh/config").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0644u);
	ASSERT_EQ(::stat(in("/etc/ssh").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0755u);
	// Nothing but the committed file is left behind.
	EXPECT_EQ(std::distance(fs::directory_iterator(in("/etc/ssh")), fs::directory_iterator()), 1);
}

TEST_P(RootDirTest, TempFileIsHiddenAndRemovedUnlessCommitted)
{
	std::string name;
	{
		auto t = dir().createTempBeside("/x");
		ASSERT_TRUE(t) << t.error().message();
		name = t->tempName();
		EXPECT_EQ(name.front(), '.');
		EXPECT_TRUE(existsNoFollow(in("/" + name)));
		struct stat st;
		ASSERT_EQ(::fstat(t->fd(), &st), 0);
		EXPECT_EQ(st.st_mode & 07777, 0644u);
	}
	EXPECT_FALSE(existsNoFollow(in("/" + name)));
	EXPECT_FALSE(existsNoFollow(in("/x")));
}

TEST_P(RootDirTest, TempFileCommitReplacesAndCommitsOnce)
{
	writeFile(in("/x"), "old\n");
	auto t = dir().createTempBeside("/x");
	ASSERT_TRUE(t);
	writeAll(t->fd(), "new\n");
	ASSERT_TRUE(t->commit());
	EXPECT_EQ(readFile(in("/x")), "new\n");
	EXPECT_FALSE(t->commit());
}

TEST_P(RootDirTest, MkdirAllReportsOnlyWhatItCreated)
{
	fs::create_directories(in("/a"));
	auto created = dir().mkdirAll("/a/b/c", 0755);
	ASSERT_TRUE(created) << created.error().message();
	EXPECT_EQ(*created, (std::vector<std::string>{ "/a/b", "/a/b/c" }));
	auto again = dir().mkdirAll("/a/b/c", 0755);
	ASSERT_TRUE(again);
	EXPECT_TRUE(again->empty());
}

TEST_P(RootDirTest, MkdirAllNonDirectoryInTheWayIsNamed)
{
	fs::create_directories(in("/etc"));
	writeFile(in("/etc/file"), "");
	auto r = dir().mkdirAll("/etc/file/sub", 0755);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOTDIR);
	EXPECT_NE(r.error().message().find("mkdir " + in("/etc/file") + ":"), std::string::npos)
		<< r.error().message();
	auto last = dir().mkdirAll("/etc/file", 0755);
	ASSERT_FALSE(last);
	EXPECT_EQ(last.error().errnum(), ENOTDIR);
}

TEST_P(RootDirTest, MkdirAllThroughDanglingSymlinks)
{
	// Created through, inside the root, as Ignition's JoinPath substitutes
	// the target before os.MkdirAll creates the leading directories.
	link("/usr/etc", "/etc");
	auto created = dir().mkdirAll("/etc/a", 0755);
	ASSERT_TRUE(created) << created.error().message();
	EXPECT_EQ(*created, (std::vector<std::string>{ "/usr", "/usr/etc", "/usr/etc/a" }));
	EXPECT_TRUE(fs::is_directory(in("/usr/etc/a")));
	link(host_ + "/newdir", "/dangling");
	auto last = dir().mkdirAll("/dangling", 0755);
	ASSERT_TRUE(last) << last.error().message();
	EXPECT_EQ(*last, (std::vector<std::string>{ "/tmp", base_, host_, host_ + "/newdir" }));
	EXPECT_TRUE(fs::is_symlink(in("/dangling")));
	// A last component linking to a directory is that directory.
	link("usr", "/u");
	auto u = dir().mkdirAll("/u", 0755);
	ASSERT_TRUE(u) << u.error().message();
	EXPECT_TRUE(u->empty());
}

// A symlink planted in the image, the path written through it and where the
// write must land (root-relative); `{host}` stands for the host directory.
struct HostileCase {
	const char *name;
	std::vector<std::pair<std::string, std::string>> links; // target, path
	std::string dir;                                       // directory written into
	std::string landsIn;                                   // where it really is
};

class HostileTest : public RootDirTest
{
protected:
	std::vector<HostileCase> cases() const
	{
		return {
			{ "absolute", { { host_ + "/etc", "/etc" } }, "/etc", host_ + "/etc" },
			{ "relative escape", { { "../../..", "/etc" } }, "/etc", "" },
			{ "deep relative escape", { { "../../../../../../..", "/e" } }, "/e/etc", "/etc" },
			{ "slash", { { "/", "/a" } }, "/a/etc", "/etc" },
			{ "relative to host", { { "../host", "/h" } }, "/h/etc", "/host/etc" },
			{ "chain", { { "l2", "/l1" }, { host_, "/l2" } }, "/l1/etc", host_ + "/etc" },
		};
	}

	void plant(const HostileCase &c)
	{
		for (const auto &[target, path] : c.links)
			link(target, path);
	}

	// Empties the root for the next case (remove_all does not follow links).
	void unplant()
	{
		for (const auto &e : fs::directory_iterator(root_))
			fs::remove_all(e.path());
	}
};

INSTANTIATE_TEST_SUITE_P(Resolvers, HostileTest,
			 ::testing::Values(RootDir::Resolver::Auto, RootDir::Resolver::Userspace),
			 [](const auto &info) {
				 return info.param == RootDir::Resolver::Auto ? "openat2" : "walk";
			 });

TEST_P(HostileTest, ResolvedPathStaysInside)
{
	for (const HostileCase &c : cases()) {
		SCOPED_TRACE(c.name);
		plant(c);
		auto r = dir().resolvedPath(c.dir + "/x");
		ASSERT_TRUE(r) << r.error().message();
		EXPECT_EQ(*r, c.landsIn + "/x");
		unplant();
	}
}

TEST_P(HostileTest, MkdirAllLandsInside)
{
	for (const HostileCase &c : cases()) {
		SCOPED_TRACE(c.name);
		plant(c);
		auto r = dir().mkdirAll(c.dir + "/a/b", 0755);
		ASSERT_TRUE(r) << r.error().message();
		EXPECT_TRUE(fs::is_directory(in(c.landsIn + "/a/b")));
		EXPECT_EQ(r->back(), c.landsIn + "/a/b");
		unplant();
	}
}

TEST_P(HostileTest, TempCommitLandsInside)
{
	for (const HostileCase &c : cases()) {
		SCOPED_TRACE(c.name);
		plant(c);
		ASSERT_TRUE(dir().mkdirAll(c.dir, 0755));
		writeThroughTemp(c.dir + "/x", "written\n");
		EXPECT_EQ(readFile(in(c.landsIn + "/x")), "written\n");
		unplant();
	}
}

TEST_P(HostileTest, AppendLandsInside)
{
	for (const HostileCase &c : cases()) {
		SCOPED_TRACE(c.name);
		plant(c);
		ASSERT_TRUE(dir().mkdirAll(c.dir, 0755));
		for (const char *piece : { "one\n", "two\n" }) {
			auto fd = dir().openAppend(c.dir + "/x");
			ASSERT_TRUE(fd) << fd.error().message();
			writeAll(fd->get(), piece);
		}
		EXPECT_EQ(readFile(in(c.landsIn + "/x")), "one\ntwo\n");
		unplant();
	}
}

TEST_P(HostileTest, FileOpsWithoutMkdirFailInsteadOfEscaping)
{
	// The host has <host>/etc/x; inside the root nothing exists there yet.
	for (const HostileCase &c : cases()) {
		SCOPED_TRACE(c.name);
		plant(c);
		if (c.landsIn.empty()) {
			unplant();
			continue; // lands at the root itself, which exists
		}
		auto a = dir().openAppend(c.dir + "/x");
		ASSERT_FALSE(a);
		EXPECT_EQ(a.error().errnum(), ENOENT);
		auto st = dir().lstat(c.dir + "/x");
		ASSERT_TRUE(st);
		EXPECT_FALSE(st->has_value());
		EXPECT_FALSE(dir().readlink(c.dir + "/x"));
		EXPECT_TRUE(dir().removeAll(c.dir + "/x"));
		EXPECT_TRUE(dir().removeAll(c.dir));
		unplant();
	}
}

TEST_P(HostileTest, ReadFollowingStaysInside)
{
	// <host>/etc/x exists on the host; only what is inside the root is read.
	for (const HostileCase &c : cases()) {
		SCOPED_TRACE(c.name);
		plant(c);
		auto absent = dir().readFile(c.dir + "/x");
		ASSERT_TRUE(absent) << absent.error().message();
		EXPECT_FALSE(absent->has_value());
		auto st = dir().stat(c.dir + "/x");
		ASSERT_TRUE(st) << st.error().message();
		EXPECT_FALSE(st->has_value());

		fs::create_directories(in(c.landsIn));
		writeFile(in(c.landsIn + "/x"), "inside\n");
		auto r = dir().readFile(c.dir + "/x");
		ASSERT_TRUE(r && r->has_value()) << (r ? "nullopt" : r.error().message());
		EXPECT_EQ(**r, "inside\n");
		unplant();
	}
}

TEST_P(HostileTest, LastComponentLinkFollowedInside)
{
	// The same links, now as the last component: /l -> <dir>/x.
	for (const HostileCase &c : cases()) {
		SCOPED_TRACE(c.name);
		plant(c);
		link(c.dir + "/x", "/l");
		auto absent = dir().readFile("/l");
		ASSERT_TRUE(absent) << absent.error().message();
		EXPECT_FALSE(absent->has_value());

		// O_CREAT through the dangling link creates its target, inside.
		ASSERT_TRUE(dir().mkdirAll(c.dir, 0755));
		auto fd = dir().openFollowing("/l", O_WRONLY | O_CREAT, 0600);
		ASSERT_TRUE(fd) << fd.error().message();
		writeAll(fd->get(), "created\n");
		EXPECT_EQ(readFile(in(c.landsIn + "/x")), "created\n");
		struct stat st;
		ASSERT_EQ(::stat(in(c.landsIn + "/x").c_str(), &st), 0);
		EXPECT_EQ(st.st_mode & 07777, 0600u);
		auto r = dir().readFile("/l");
		ASSERT_TRUE(r && r->has_value());
		EXPECT_EQ(**r, "created\n");
		unplant();
	}
}

TEST_P(RootDirTest, ConfigDotDotIsClampedAtRoot)
{
	writeThroughTemp("/../../../x", "a\n");
	EXPECT_EQ(readFile(in("/x")), "a\n");
	auto r = dir().resolvedPath("/a/../../b/./c/../x");
	ASSERT_TRUE(r);
	EXPECT_EQ(*r, "/b/x");
}

TEST_P(RootDirTest, SymlinkLoopIsELOOP)
{
	link("loop2", "/loop1");
	link("/loop1", "/loop2");
	auto p = dir().parentOf("/loop1/x");
	ASSERT_FALSE(p);
	EXPECT_EQ(p.error().errnum(), ELOOP);
	auto m = dir().mkdirAll("/loop1/a", 0755);
	ASSERT_FALSE(m);
	EXPECT_EQ(m.error().errnum(), ELOOP);
	auto r = dir().resolvedPath("/loop2/x");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ELOOP);
	EXPECT_FALSE(dir().openAppend("/loop1/x"));
	// The loop itself as the last component is just a symlink.
	auto st = dir().lstat("/loop1");
	ASSERT_TRUE(st && st->has_value());
	EXPECT_TRUE(S_ISLNK((*st)->st_mode));
	ASSERT_TRUE(dir().removeAll("/loop1"));
	EXPECT_FALSE(existsNoFollow(in("/loop1")));
}

TEST_P(RootDirTest, FortySymlinksResolveAndFortyOneDoNot)
{
	// link0 -> link1 -> ... -> link40 -> d, as the kernel's MAXSYMLINKS.
	fs::create_directories(in("/d"));
	link("d", "/link40");
	for (int i = 39; i >= 0; i--)
		link("link" + std::to_string(i + 1), "/link" + std::to_string(i));
	auto ok = dir().parentOf("/link1/x"); // 40 links
	EXPECT_TRUE(ok) << ok.error().message();
	auto tooMany = dir().parentOf("/link0/x"); // 41 links
	ASSERT_FALSE(tooMany);
	EXPECT_EQ(tooMany.error().errnum(), ELOOP);
}

struct ResolveCase {
	const char *name;
	std::vector<std::pair<std::string, std::string>> links; // target, path
	std::vector<std::string> dirs;
	std::string input;
	std::string expected;
};

TEST_P(RootDirTest, ResolvedPathExamples)
{
	const ResolveCase cases[] = {
		{ "plain missing", {}, {}, "/etc/x", "/etc/x" },
		{ "absolute intermediate", { { "/usr/etc", "/etc" } }, {}, "/etc/x", "/usr/etc/x" },
		{ "relative intermediate", { { "usr/etc", "/etc" } }, { "/usr/etc" }, "/etc/x", "/usr/etc/x" },
		{ "last not followed", { { "/usr/etc", "/etc" } }, {}, "/etc", "/etc" },
		{ "chain", { { "e2", "/etc" }, { "/real", "/e2" } }, { "/real" }, "/etc/x", "/real/x" },
		{ "dotdot in target", { { "../../var/../opt", "/etc" } }, { "/opt", "/var" }, "/etc/x", "/opt/x" },
		{ "symlink to slash", { { "/", "/a" } }, {}, "/a/etc/x", "/etc/x" },
		{ "nested dir link", { { "../b", "/a/l" } }, { "/a", "/b" }, "/a/l/x", "/b/x" },
		{ "root", {}, {}, "/", "/" },
		{ "trailing slashes", {}, {}, "//etc//x/", "/etc/x" },
	};
	for (const ResolveCase &c : cases) {
		SCOPED_TRACE(c.name);
		for (const std::string &d : c.dirs)
			fs::create_directories(in(d));
		for (const auto &[target, path] : c.links)
			link(target, path);
		auto r = dir().resolvedPath(c.input);
		ASSERT_TRUE(r) << r.error().message();
		EXPECT_EQ(*r, c.expected);
		for (const auto &e : fs::directory_iterator(root_))
			fs::remove_all(e.path());
	}
}

TEST_P(RootDirTest, HardlinkThroughEscapingSymlinkLinksTheInsideFile)
{
	// Inside the root the same names hold different files from the host's.
	fs::create_directories(in(host_));
	writeFile(in(host_ + "/sentinel"), "inside abs\n");
	fs::create_directories(in("/host"));
	writeFile(in("/host/sentinel"), "inside rel\n");
	link(host_, "/abs");
	link("../host", "/rel");

	ASSERT_TRUE(dir().hardlink("/abs/sentinel", "/l1"));
	ASSERT_TRUE(dir().hardlink("/rel/sentinel", "/l2"));
	EXPECT_EQ(readFile(in("/l1")), "inside abs\n");
	EXPECT_EQ(readFile(in("/l2")), "inside rel\n");
	EXPECT_TRUE(fs::equivalent(in("/l1"), in(host_ + "/sentinel")));
	EXPECT_TRUE(fs::equivalent(in("/l2"), in("/host/sentinel")));
}

TEST_P(RootDirTest, HardlinkToMissingInsideFileFails)
{
	// <host>/sentinel exists on the host but not inside the root.
	link(host_, "/abs");
	auto r = dir().hardlink("/abs/sentinel", "/l");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
	EXPECT_FALSE(existsNoFollow(in("/l")));
}

TEST_P(RootDirTest, HardlinkOfSymlinkLinksTheSymlink)
{
	link(host_ + "/sentinel", "/s");
	ASSERT_TRUE(dir().hardlink("/s", "/s2"));
	struct stat a, b;
	ASSERT_EQ(::lstat(in("/s").c_str(), &a), 0);
	ASSERT_EQ(::lstat(in("/s2").c_str(), &b), 0);
	EXPECT_TRUE(S_ISLNK(b.st_mode));
	EXPECT_EQ(a.st_ino, b.st_ino);
}

TEST_P(RootDirTest, RemoveAllDoesNotFollowSymlinks)
{
	fs::create_directories(in("/dir/sub"));
	writeFile(in("/dir/sub/f"), "f");
	link(host_, "/dir/abs");
	link("../../../host", "/dir/sub/rel");
	link(host_ + "/sentinel", "/dir/file");
	ASSERT_TRUE(::mkfifo(in("/dir/fifo").c_str(), 0600) == 0);
	auto r = dir().removeAll("/dir");
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_FALSE(existsNoFollow(in("/dir")));
}

TEST_P(RootDirTest, RemoveAllOfSymlinkRemovesOnlyTheLink)
{
	link(host_, "/l");
	link(host_ + "/sentinel", "/f");
	ASSERT_TRUE(dir().removeAll("/l"));
	ASSERT_TRUE(dir().removeAll("/f"));
	EXPECT_FALSE(existsNoFollow(in("/l")));
	EXPECT_FALSE(existsNoFollow(in("/f")));
}

TEST_P(RootDirTest, RemoveAllThroughIntermediateSymlinkStaysInside)
{
	fs::create_directories(in(host_ + "/etc"));
	writeFile(in(host_ + "/etc/x"), "inside\n");
	link(host_, "/h");
	ASSERT_TRUE(dir().removeAll("/h/etc"));
	EXPECT_FALSE(existsNoFollow(in(host_ + "/etc")));
	EXPECT_TRUE(existsNoFollow(in("/h")));
}

TEST_P(RootDirTest, RemoveAllEdgeCases)
{
	EXPECT_TRUE(dir().removeAll("/absent"));
	EXPECT_TRUE(dir().removeAll("/absent/deeper"));
	auto r = dir().removeAll("/");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	auto rel = dir().removeAll("relative");
	ASSERT_FALSE(rel);
	EXPECT_NE(rel.error().message().find("not absolute"), std::string::npos);
	EXPECT_TRUE(fs::exists(root_));
}

TEST_P(RootDirTest, ChmodRefusesSymlinkLastComponent)
{
	writeFile(in("/inner"), "");
	::chmod(in("/inner").c_str(), 0600);
	link(host_ + "/sentinel", "/abs");
	link("inner", "/rel");
	for (const char *path : { "/abs", "/rel" }) {
		SCOPED_TRACE(path);
		auto r = dir().chmod(path, 0777);
		ASSERT_FALSE(r);
		EXPECT_EQ(r.error().errnum(), ELOOP);
		EXPECT_NE(r.error().message().find(in(path)), std::string::npos);
	}
	struct stat st;
	ASSERT_EQ(::stat(in("/inner").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_P(RootDirTest, ChmodSetsSpecialBits)
{
	fs::create_directories(in("/d"));
	writeFile(in("/d/f"), "");
	ASSERT_TRUE(dir().chmod("/d/f", 04755));
	ASSERT_TRUE(dir().chmod("/d", 01777));
	struct stat st;
	ASSERT_EQ(::stat(in("/d/f").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 04755u);
	ASSERT_EQ(::stat(in("/d").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 01777u);
	auto missing = dir().chmod("/d/none", 0644);
	ASSERT_FALSE(missing);
	EXPECT_EQ(missing.error().errnum(), ENOENT);
}

TEST_P(RootDirTest, LchownChangesTheLinkNotItsTarget)
{
	if (::geteuid() != 0)
		GTEST_SKIP() << "chown needs root";
	link(host_ + "/sentinel", "/l");
	writeFile(in("/f"), "");
	ASSERT_TRUE(dir().lchown("/l", 1234, 5678));
	ASSERT_TRUE(dir().lchown("/f", 4321, static_cast<gid_t>(-1)));
	struct stat st;
	ASSERT_EQ(::lstat(in("/l").c_str(), &st), 0);
	EXPECT_EQ(st.st_uid, 1234u);
	EXPECT_EQ(st.st_gid, 5678u);
	ASSERT_EQ(::lstat(in("/f").c_str(), &st), 0);
	EXPECT_EQ(st.st_uid, 4321u);
	EXPECT_EQ(st.st_gid, 0u);
}

TEST_P(RootDirTest, OpenAppendRefusesSymlinkLastComponent)
{
	writeFile(in("/inner"), "inner\n");
	link(host_ + "/sentinel", "/abs");
	link("inner", "/rel");
	// A dangling link: O_CREAT through it would create the host file.
	link(host_ + "/created", "/dangling");
	for (const char *path : { "/abs", "/rel", "/dangling" }) {
		SCOPED_TRACE(path);
		auto r = dir().openAppend(path);
		ASSERT_FALSE(r);
		EXPECT_EQ(r.error().errnum(), ELOOP);
	}
	EXPECT_EQ(readFile(in("/inner")), "inner\n");
}

TEST_P(RootDirTest, OpenAppendCreatesAndAppends)
{
	{
		auto fd = dir().openAppend("/f");
		ASSERT_TRUE(fd) << fd.error().message();
		writeAll(fd->get(), "a");
	}
	{
		auto fd = dir().openAppend("/f");
		ASSERT_TRUE(fd);
		writeAll(fd->get(), "b");
	}
	EXPECT_EQ(readFile(in("/f")), "ab");
	struct stat st;
	ASSERT_EQ(::stat(in("/f").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST_P(RootDirTest, OpenAppendRefusesNonRegular)
{
	ASSERT_EQ(::mkfifo(in("/fifo").c_str(), 0600), 0);
	fs::create_directories(in("/dir"));
	EXPECT_FALSE(dir().openAppend("/fifo")); // would block without O_NONBLOCK
	EXPECT_FALSE(dir().openAppend("/dir"));
}

TEST_P(RootDirTest, SymlinkStoresTargetVerbatim)
{
	for (const char *target : { "../../host", "/abs/../x", "rel//a/" }) {
		SCOPED_TRACE(target);
		ASSERT_TRUE(dir().symlink(target, "/l"));
		auto r = dir().readlink("/l");
		ASSERT_TRUE(r);
		EXPECT_EQ(*r, target);
		ASSERT_TRUE(dir().removeAll("/l"));
	}
	auto dup = dir().symlink("x", "/l");
	ASSERT_TRUE(dup);
	auto again = dir().symlink("x", "/l");
	ASSERT_FALSE(again);
	EXPECT_EQ(again.error().errnum(), EEXIST);
}

TEST_P(RootDirTest, SymlinkThroughHostileParentStaysInside)
{
	link(host_, "/h");
	fs::create_directories(in(host_));
	ASSERT_TRUE(dir().symlink("target", "/h/newlink"));
	EXPECT_TRUE(fs::is_symlink(in(host_ + "/newlink")));
}

TEST_P(RootDirTest, MkdirAndLstat)
{
	ASSERT_TRUE(dir().mkdir("/d", 0700));
	auto again = dir().mkdir("/d", 0700);
	ASSERT_FALSE(again);
	EXPECT_EQ(again.error().errnum(), EEXIST);
	EXPECT_NE(again.error().message().find("mkdir " + in("/d")), std::string::npos);

	auto st = dir().lstat("/d");
	ASSERT_TRUE(st && st->has_value());
	EXPECT_TRUE(S_ISDIR((*st)->st_mode));
	EXPECT_EQ((*st)->st_mode & 07777, 0700u);

	auto absent = dir().lstat("/none");
	ASSERT_TRUE(absent);
	EXPECT_FALSE(absent->has_value());
	auto absentParent = dir().lstat("/none/deeper");
	ASSERT_TRUE(absentParent);
	EXPECT_FALSE(absentParent->has_value());

	auto rootSt = dir().lstat("/");
	ASSERT_TRUE(rootSt && rootSt->has_value());
	EXPECT_TRUE(S_ISDIR((*rootSt)->st_mode));

	writeFile(in("/file"), "");
	auto underFile = dir().lstat("/file/x");
	ASSERT_FALSE(underFile);
	EXPECT_EQ(underFile.error().errnum(), ENOTDIR);
}

TEST_P(RootDirTest, ParentOfValidatesAndNamesPath)
{
	auto rel = dir().parentOf("etc/x");
	ASSERT_FALSE(rel);
	EXPECT_NE(rel.error().message().find("etc/x: path is not absolute"), std::string::npos);
	auto rootPath = dir().parentOf("/");
	ASSERT_FALSE(rootPath);
	auto missing = dir().parentOf("/missing/x");
	ASSERT_FALSE(missing);
	EXPECT_EQ(missing.error().errnum(), ENOENT);
	EXPECT_NE(missing.error().message().find("open " + in("/missing/x") + ":"), std::string::npos)
		<< missing.error().message();

	fs::create_directories(in("/etc"));
	auto p = dir().parentOf("/etc/x");
	ASSERT_TRUE(p);
	EXPECT_EQ(p->name, "x");
	struct stat a, b;
	ASSERT_EQ(::fstat(p->dir.get(), &a), 0);
	ASSERT_EQ(::stat(in("/etc").c_str(), &b), 0);
	EXPECT_EQ(a.st_ino, b.st_ino);
}

TEST_P(RootDirTest, MovedRootStillWorks)
{
	RootDir moved = std::move(*dir_);
	ASSERT_TRUE(moved.mkdirAll("/m", 0755));
	EXPECT_TRUE(fs::is_directory(in("/m")));
	EXPECT_EQ(moved.path(), root_);
	dir_.emplace(std::move(moved));
}

TEST_P(RootDirTest, ReadFileFollowsLastComponentInsideRoot)
{
	// Each name exists on the host too, with other contents.
	fs::create_directories(in(host_ + "/etc"));
	writeFile(in(host_ + "/sentinel"), "inside abs\n");
	fs::create_directories(in("/host"));
	writeFile(in("/host/sentinel"), "inside rel\n");
	writeFile(in("/inner"), "inner\n");
	link(host_ + "/sentinel", "/abs");
	link("inner", "/rel");
	link("../../../../host/sentinel", "/up");
	link("/abs", "/chain");
	const std::pair<const char *, const char *> cases[] = {
		{ "/abs", "inside abs\n" },
		{ "/rel", "inner\n" },
		{ "/up", "inside rel\n" },
		{ "/chain", "inside abs\n" },
		{ "/inner", "inner\n" },
		{ "/../inner", "inner\n" },
	};
	for (const auto &[path, want] : cases) {
		SCOPED_TRACE(path);
		auto r = dir().readFile(path);
		ASSERT_TRUE(r) << r.error().message();
		ASSERT_TRUE(r->has_value());
		EXPECT_EQ(**r, want);
		auto st = dir().stat(path);
		ASSERT_TRUE(st && st->has_value());
		EXPECT_TRUE(S_ISREG((*st)->st_mode));
		EXPECT_EQ((*st)->st_size, static_cast<off_t>(std::string_view(want).size()));
	}
	// Auto keeps using openat2 on this kernel.
	EXPECT_EQ(dir().usesUserspaceWalk(), GetParam() == RootDir::Resolver::Userspace);
}

TEST_P(RootDirTest, ReadFileAbsentIsNullopt)
{
	writeFile(in("/file"), "f");
	link(host_ + "/sentinel", "/dangling"); // exists on the host only
	link("missing", "/dangling-rel");
	for (const char *path : { "/none", "/none/deeper", "/file/x", "/dangling", "/dangling-rel" }) {
		SCOPED_TRACE(path);
		auto r = dir().readFile(path);
		ASSERT_TRUE(r) << r.error().message();
		EXPECT_FALSE(r->has_value());
	}
	for (const char *path : { "/none", "/dangling", "/dangling-rel" }) {
		SCOPED_TRACE(path);
		auto st = dir().stat(path);
		ASSERT_TRUE(st) << st.error().message();
		EXPECT_FALSE(st->has_value());
	}
	auto lst = dir().lstat("/dangling");
	ASSERT_TRUE(lst && lst->has_value());
	EXPECT_TRUE(S_ISLNK((*lst)->st_mode));
}

TEST_P(RootDirTest, ReadFileRefusesNonRegular)
{
	ASSERT_EQ(::mkfifo(in("/fifo").c_str(), 0600), 0);
	link("fifo", "/to-fifo");
	fs::create_directories(in("/dir"));
	for (const char *path : { "/fifo", "/to-fifo", "/dir", "/" }) {
		SCOPED_TRACE(path);
		auto r = dir().readFile(path); // would block on the FIFO without O_NONBLOCK
		ASSERT_FALSE(r);
		EXPECT_NE(r.error().message().find("not a regular file"), std::string::npos) << r.error().message();
	}
	auto rel = dir().readFile("relative");
	ASSERT_FALSE(rel);
	EXPECT_NE(rel.error().message().find("not absolute"), std::string::npos);
}

TEST_P(RootDirTest, FollowingLoopIsELOOP)
{
	link("loop2", "/loop1");
	link("/loop1", "/loop2");
	auto r = dir().readFile("/loop1");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ELOOP);
	EXPECT_NE(r.error().message().find("open " + in("/loop1") + ":"), std::string::npos) << r.error().message();
	auto st = dir().stat("/loop2");
	ASSERT_FALSE(st);
	EXPECT_EQ(st.error().errnum(), ELOOP);
	EXPECT_NE(st.error().message().find("stat " + in("/loop2") + ":"), std::string::npos) << st.error().message();
	auto fd = dir().openFollowing("/loop1", O_WRONLY | O_CREAT, 0644);
	ASSERT_FALSE(fd);
	EXPECT_EQ(fd.error().errnum(), ELOOP);
}

TEST_P(RootDirTest, FollowingFortySymlinksAndNoMore)
{
	// link0 -> link1 -> ... -> link40 -> f: the last component counts too.
	writeFile(in("/f"), "end\n");
	link("f", "/link40");
	for (int i = 39; i >= 0; i--)
		link("link" + std::to_string(i + 1), "/link" + std::to_string(i));
	auto ok = dir().readFile("/link1"); // 40 links
	ASSERT_TRUE(ok) << ok.error().message();
	ASSERT_TRUE(ok->has_value());
	EXPECT_EQ(**ok, "end\n");
	auto tooMany = dir().readFile("/link0"); // 41 links
	ASSERT_FALSE(tooMany);
	EXPECT_EQ(tooMany.error().errnum(), ELOOP);
}

TEST_P(RootDirTest, OpenFollowingFlags)
{
	writeFile(in("/inner"), "inner\n");
	link("inner", "/rel");
	link(host_ + "/sentinel", "/abs");

	// O_NOFOLLOW and O_CREAT|O_EXCL act on the link itself, as open(2).
	auto nofollow = dir().openFollowing("/rel", O_RDONLY | O_NOFOLLOW);
	ASSERT_FALSE(nofollow);
	EXPECT_EQ(nofollow.error().errnum(), ELOOP);
	auto excl = dir().openFollowing("/abs", O_WRONLY | O_CREAT | O_EXCL, 0644);
	ASSERT_FALSE(excl);
	EXPECT_EQ(excl.error().errnum(), EEXIST);
	EXPECT_FALSE(existsNoFollow(in(host_ + "/sentinel")));
	auto path = dir().openFollowing("/rel", O_PATH | O_NOFOLLOW);
	ASSERT_TRUE(path) << path.error().message();
	struct stat st;
	ASSERT_EQ(::fstat(path->get(), &st), 0);
	EXPECT_TRUE(S_ISLNK(st.st_mode));

	// O_CLOEXEC is always set; O_TRUNC applies to the target.
	auto fd = dir().openFollowing("/rel", O_WRONLY | O_TRUNC);
	ASSERT_TRUE(fd) << fd.error().message();
	EXPECT_NE(::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC, 0);
	writeAll(fd->get(), "new\n");
	EXPECT_EQ(readFile(in("/inner")), "new\n");
	EXPECT_TRUE(fs::is_symlink(in("/rel")));

	// Directories, the root included, open as directories.
	fs::create_directories(in("/d/sub"));
	link("/d", "/dl");
	for (const char *p : { "/", "/d", "/dl", "/dl/sub/..", "/dl/" }) {
		SCOPED_TRACE(p);
		auto d = dir().openFollowing(p, O_RDONLY | O_DIRECTORY);
		ASSERT_TRUE(d) << d.error().message();
		struct stat a, b;
		ASSERT_EQ(::fstat(d->get(), &a), 0);
		ASSERT_EQ(::stat(std::string(p) == "/" ? root_.c_str() : in("/d").c_str(), &b), 0);
		EXPECT_EQ(a.st_ino, b.st_ino);
	}
	auto notDir = dir().openFollowing("/rel", O_RDONLY | O_DIRECTORY);
	ASSERT_FALSE(notDir);
	EXPECT_EQ(notDir.error().errnum(), ENOTDIR);
	auto st2 = dir().stat("/dl");
	ASSERT_TRUE(st2 && st2->has_value());
	EXPECT_TRUE(S_ISDIR((*st2)->st_mode));
}

TEST(RootDirHostPath, JoinsRootAndPath)
{
	auto slash = RootDir::open("/");
	ASSERT_TRUE(slash);
	EXPECT_EQ(slash->hostPath("/etc/x"), "/etc/x");
	auto tmp = RootDir::open("/tmp///");
	ASSERT_TRUE(tmp);
	EXPECT_EQ(tmp->hostPath("/etc/x"), "/tmp/etc/x");
}

} // namespace
} // namespace flint::system
