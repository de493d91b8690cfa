// The files stage's pieces: staged contents (memory and spill), the entry plan's order and duplicate check.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "files/files_internal.h"
#include "flint/base/log.h"
#include "flint/system/root_dir.h"

namespace {

using flint::stages::files::EntryPlan;
using flint::stages::files::Kind;
using flint::stages::files::planEntries;
using flint::stages::files::StagedContent;
using flint::system::RootDir;
namespace fs = std::filesystem;

class Scratch : public ::testing::Test
{
protected:
	void SetUp() override
	{
		char tmpl[] = "/tmp/flint-stages-test.XXXXXX";
		ASSERT_NE(mkdtemp(tmpl), nullptr);
		dir_ = tmpl;
		flint::log::Logger::instance().setSink(flint::log::Sink::Capture);
	}
	void TearDown() override
	{
		fs::remove_all(dir_);
		flint::log::Logger::instance().reset();
	}
	RootDir open()
	{
		flint::Result<RootDir> r = RootDir::open(dir_);
		EXPECT_TRUE(r);
		return std::move(*r);
	}
	std::string dir_;
};

// Reads back what copyTo writes.
std::string copied(const StagedContent &c)
{
	FILE *f = tmpfile();
	EXPECT_TRUE(c.copyTo(fileno(f)));
	std::string out(static_cast<std::size_t>(ftell(f)), '\0');
	rewind(f);
	EXPECT_EQ(fread(out.data(), 1, out.size(), f), out.size());
	fclose(f);
	return out;
}

std::size_t entriesIn(const std::string &dir)
{
	std::size_t n = 0;
	for ([[maybe_unused]] const auto &e : fs::recursive_directory_iterator(dir))
		n++;
	return n;
}

TEST_F(Scratch, SmallContentsStayInMemory)
{
	RootDir root = open();
	StagedContent c(root, "/etc/x");
	ASSERT_TRUE(c.write("hello "));
	ASSERT_TRUE(c.write("world"));
	EXPECT_EQ(c.size(), 11u);
	EXPECT_EQ(copied(c), "hello world");
	EXPECT_EQ(entriesIn(dir_), 0u) << "nothing may appear in the root";
}

TEST_F(Scratch, LargeContentsSpillToAnUnlinkedFileInTheTargetsFilesystem)
{
	fs::create_directories(dir_ + "/var");
	RootDir root = open();
	StagedContent c(root, "/var/lib/images/big.img"); // parents partly missing
	std::string chunk(300 * 1024, 'a');
	std::string all;
	for (int i = 0; i < 5; i++) {
		chunk[0] = static_cast<char>('0' + i);
		ASSERT_TRUE(c.write(chunk));
		all += chunk;
	}
	EXPECT_EQ(c.size(), all.size());
	EXPECT_GT(all.size(), StagedContent::kSpillBytes);
	EXPECT_EQ(copied(c), all);
	// Spilled into /var (the nearest existing directory) without a name.
	EXPECT_EQ(entriesIn(dir_), 1u);
	EXPECT_TRUE(fs::is_empty(dir_ + "/var"));
}

TEST_F(Scratch, RewindDropsEverythingAlsoAfterASpill)
{
	RootDir root = open();
	StagedContent c(root, "/x");
	ASSERT_TRUE(c.write(std::string(StagedContent::kSpillBytes + 10, 'z')));
	ASSERT_TRUE(c.rewind());
	ASSERT_TRUE(c.write("again"));
	EXPECT_EQ(c.size(), 5u);
	EXPECT_EQ(copied(c), "again");
}

flint::config::File fileAt(const std::string &path)
{
	flint::config::File f;
	f.path = path;
	return f;
}

TEST_F(Scratch, PlanOrdersByDepthWithHardLinksLast)
{
	RootDir root = open();
	flint::config::Storage st;
	st.files.push_back(fileAt("/a/b/c/deep"));
	st.files.push_back(fileAt("/top"));
	flint::config::Link hard;
	hard.path = "/hl";
	hard.target = "/a/b/c/deep";
	hard.hard = true;
	st.links.push_back(hard);
	flint::config::Directory d;
	d.path = "/a/b";
	st.directories.push_back(d);
	flint::Result<std::unique_ptr<EntryPlan>> plan = planEntries(st, root);
	ASSERT_TRUE(plan) << plan.error().message();
	std::vector<std::string> order;
	for (const auto &e : (*plan)->entries)
		order.push_back(e.path);
	EXPECT_EQ(order, (std::vector<std::string>{ "/top", "/a/b", "/a/b/c/deep", "/hl" }));
	EXPECT_EQ((*plan)->entries.back().kind, Kind::Link);
}

TEST_F(Scratch, PlanRefusesTwoEntriesResolvingToOnePathThroughASymlink)
{
	fs::create_directories(dir_ + "/usr/etc");
	fs::create_directory_symlink("/usr/etc", dir_ + "/etc");
	RootDir root = open();
	flint::config::Storage st;
	st.files.push_back(fileAt("/usr/etc/motd"));
	flint::config::Link l;
	l.path = "/etc/motd";
	l.target = "/x";
	st.links.push_back(l);
	flint::Result<std::unique_ptr<EntryPlan>> plan = planEntries(st, root);
	ASSERT_FALSE(plan);
	EXPECT_EQ(plan.error().message(), "link at /etc/motd resolved to " + dir_ +
						  "/usr/etc/motd after symlink chasing, but another entry with path "
						  "/usr/etc/motd also resolves there");
}

TEST_F(Scratch, PlanStagesContentsAndAppendsButFetchesNothing)
{
	RootDir root = open();
	flint::config::Storage st;
	flint::config::File f = fileAt("/etc/x");
	f.contents.source = "http://127.0.0.1:1/never";
	f.append.emplace_back().source = "data:,a";
	f.append.emplace_back().source = "data:,b";
	st.files.push_back(f);
	st.files.push_back(fileAt("/etc/empty"));
	flint::Result<std::unique_ptr<EntryPlan>> plan = planEntries(st, root);
	ASSERT_TRUE(plan);
	std::vector<flint::stages::files::StagedFetch *> fetches = flint::stages::files::stagedFetches(**plan);
	ASSERT_EQ(fetches.size(), 3u);
	EXPECT_EQ(fetches[0]->request.url, "http://127.0.0.1:1/never");
	EXPECT_EQ(fetches[2]->request.url, "data:,b");
	EXPECT_EQ(entriesIn(dir_), 0u);
}

} // namespace
