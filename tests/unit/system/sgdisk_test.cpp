// sgdisk: the command lines Ignition builds and the --info output of a pretend run.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flint/system/distro.h"
#include "flint/system/sgdisk.h"

namespace flint::system {
namespace {

using Args = std::vector<std::string>;

Args withTool(Args rest)
{
	rest.insert(rest.begin(), distro::kSgdiskCmd);
	return rest;
}

// ---------------------------------------------------------------------------
// argv

TEST(SgdiskArgv, EmptyOperationHasNoDevice)
{
	// Ignition's buildOptions returns nothing at all, not even the device.
	SgdiskOperation op("/dev/vdb");
	EXPECT_TRUE(op.empty());
	EXPECT_EQ(op.argv(false), withTool({}));
	EXPECT_EQ(op.argv(true), withTool({ "--pretend" }));
}

TEST(SgdiskArgv, DeletionsComeBeforeCreations)
{
	SgdiskOperation op("/run/ignition/dev_aliases/dev/vdb");
	op.createPartition(SgdiskPartition{ 1, 2048, 20480, std::string("boot"),
					    std::string("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"),
					    std::string("11111111-2222-3333-4444-555555555555") });
	op.deletePartition(3);
	op.createPartition(SgdiskPartition{ 2, 0, 0, std::nullopt, std::nullopt, std::nullopt });
	op.deletePartition(1);
	EXPECT_EQ(op.argv(false),
		  withTool({ "--delete=3", "--delete=1", "--new=1:2048:+20480", "--change-name=1:boot",
			     "--typecode=1:C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
			     "--partition-guid=1:11111111-2222-3333-4444-555555555555", "--new=2:0:+0",
			     "/run/ignition/dev_aliases/dev/vdb" }));
}

TEST(SgdiskArgv, EmptyLabelIsSetEmptyGuidsAreNot)
{
	// A label given as "" clears the name; "" GUIDs are "not specified".
	SgdiskOperation op("/dev/vdb");
	op.createPartition(SgdiskPartition{ 4, 0, 8192, std::string(""), std::string(""), std::string("") });
	EXPECT_EQ(op.argv(false), withTool({ "--new=4:0:+8192", "--change-name=4:", "/dev/vdb" }));
}

TEST(SgdiskArgv, LabelsAreNotQuotedOrEscaped)
{
	SgdiskOperation op("/dev/vdb");
	op.createPartition(SgdiskPartition{ 1, 0, 0, std::string("my data \"x\""), std::nullopt, std::nullopt });
	EXPECT_EQ(op.argv(false), withTool({ "--new=1:0:+0", "--change-name=1:my data \"x\"", "/dev/vdb" }));
}

TEST(SgdiskArgv, PretendPutsInfosLast)
{
	SgdiskOperation op("/dev/vdb");
	op.info(2);
	op.createPartition(SgdiskPartition{ 2, 0, 0, std::nullopt, std::nullopt, std::nullopt });
	op.info(1);
	op.deletePartition(1);
	op.createPartition(SgdiskPartition{ 1, 2048, 0, std::nullopt, std::nullopt, std::nullopt });
	EXPECT_EQ(op.argv(true), withTool({ "--pretend", "--delete=1", "--new=2:0:+0", "--new=1:2048:+0",
					    "--info=2", "--info=1", "/dev/vdb" }));
	// Infos alone do not make an operation worth committing.
	SgdiskOperation infoOnly("/dev/vdb");
	infoOnly.info(1);
	EXPECT_TRUE(infoOnly.empty());
}

TEST(SgdiskArgv, WipeIsZapAllOrClearUnderPretend)
{
	SgdiskOperation op("/dev/vdb");
	op.wipeTable(true);
	EXPECT_FALSE(op.empty());
	EXPECT_EQ(op.argv(false), withTool({ "--zap-all", "/dev/vdb" }));
	op.createPartition(SgdiskPartition{ 1, 0, 2048, std::nullopt, std::nullopt, std::nullopt });
	op.info(1);
	EXPECT_EQ(op.argv(true), withTool({ "--pretend", "--mbrtogpt", "--clear", "--new=1:0:+2048", "--info=1",
					    "/dev/vdb" }));
	EXPECT_EQ(op.argv(false), withTool({ "--zap-all", "--new=1:0:+2048", "--info=1", "/dev/vdb" }));
}

TEST(SgdiskArgv, LargeSectorCounts)
{
	SgdiskOperation op("/dev/nvme0n1");
	op.createPartition(SgdiskPartition{ 128, 34359738368ULL, 17179869184ULL, std::nullopt, std::nullopt,
					    std::nullopt });
	EXPECT_EQ(op.argv(false), withTool({ "--new=128:34359738368:+17179869184", "/dev/nvme0n1" }));
}

// ---------------------------------------------------------------------------
// parseSgdiskInfo

// What sgdisk 1.0.9 prints for `--pretend --new=1:0:+20480 --new=2:0:+0
// --info=1 --info=2` on a blank 64 MiB disk.
constexpr const char *kTwoInfos = "Creating new GPT entries in memory.\n"
				  "Partition GUID code: 0FC63DAF-8483-4772-8E79-3D69D8477DE4 (Linux filesystem)\n"
				  "Partition unique GUID: 1C249C07-B849-45B0-B5BA-43938F7DF8EC\n"
				  "First sector: 2048 (at 1024.0 KiB)\n"
				  "Last sector: 22527 (at 11.0 MiB)\n"
				  "Partition size: 20480 sectors (10.0 MiB)\n"
				  "Attribute flags: 0000000000000000\n"
				  "Partition name: ''\n"
				  "Partition GUID code: 0FC63DAF-8483-4772-8E79-3D69D8477DE4 (Linux filesystem)\n"
				  "Partition unique GUID: 8E7B6078-FC8B-402A-AEA4-556F6B380DB3\n"
				  "First sector: 22528 (at 11.0 MiB)\n"
				  "Last sector: 131038 (at 64.0 MiB)\n"
				  "Partition size: 108511 sectors (53.0 MiB)\n"
				  "Attribute flags: 0000000000000000\n"
				  "Partition name: ''\n";

TEST(SgdiskInfo, ReadsEachBlockInOrder)
{
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo(kTwoInfos, { 5, 2 });
	ASSERT_TRUE(g) << g.error().message();
	ASSERT_EQ(g->size(), 2u);
	EXPECT_EQ(g->at(5).start, 2048u);
	EXPECT_EQ(g->at(5).end, 22527u);
	EXPECT_EQ(g->at(2).start, 22528u);
	EXPECT_EQ(g->at(2).end, 131038u);
}

TEST(SgdiskInfo, NothingAskedNothingRead)
{
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo("First sector: 1 (x)\n", {});
	ASSERT_TRUE(g);
	EXPECT_TRUE(g->empty());
}

TEST(SgdiskInfo, MoreBlocksThanAskedIsAnError)
{
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo(kTwoInfos, { 1 });
	ASSERT_FALSE(g);
	EXPECT_NE(g.error().message().find("sgdisk had unexpected output"), std::string::npos);
}

TEST(SgdiskInfo, FewerBlocksThanAskedIsAnError)
{
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo(kTwoInfos, { 1, 2, 3 });
	ASSERT_FALSE(g);
	EXPECT_NE(g.error().message().find("partition 3"), std::string::npos) << g.error().message();
}

TEST(SgdiskInfo, UnknownPartition)
{
	// sgdisk --info=7 for a partition that does not exist.
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo("Partition #7 does not exist.\n", { 7 });
	ASSERT_FALSE(g);
}

TEST(SgdiskInfo, BlockCutShort)
{
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo("First sector: 2048 (at 1024.0 KiB)\n", { 1 });
	ASSERT_FALSE(g);
}

TEST(SgdiskInfo, LinesMustMatchWhole)
{
	// Ignition's ^First sector: (\d*) \(.*\)$: other lines are skipped.
	const char *out = "  First sector: 1 (x)\n"
			  "First sector: 2 x\n"
			  "First sector: 4096 (at 2.0 MiB)\n"
			  "Last sector: 9 \n"
			  "Last sector: 8191 (at 4.0 MiB)\n";
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo(out, { 3 });
	ASSERT_TRUE(g) << g.error().message();
	EXPECT_EQ(g->at(3).start, 4096u);
	EXPECT_EQ(g->at(3).end, 8191u);
}

TEST(SgdiskInfo, EmptyOrHugeNumberIsAnError)
{
	EXPECT_FALSE(parseSgdiskInfo("First sector:  (at 0)\nLast sector: 5 (x)\n", { 1 }));
	EXPECT_FALSE(parseSgdiskInfo("First sector: 99999999999999999999999 (x)\nLast sector: 5 (x)\n", { 1 }));
	// A stray, malformed start line after the last block is an error too.
	std::string extra = std::string("First sector: 1 (a)\nLast sector: 2 (b)\n") + "First sector:  (c)\n";
	EXPECT_FALSE(parseSgdiskInfo(extra, { 1 }));
}

TEST(SgdiskInfo, EndBeforeStartIsAnError)
{
	EXPECT_FALSE(parseSgdiskInfo("First sector: 10 (a)\nLast sector: 9 (b)\n", { 1 }));
}

TEST(SgdiskInfo, NoTrailingNewline)
{
	Result<std::map<int, SgdiskGeometry>> g = parseSgdiskInfo("First sector: 34 (a)\nLast sector: 34 (b)", { 1 });
	ASSERT_TRUE(g) << g.error().message();
	EXPECT_EQ(g->at(1).start, 34u);
	EXPECT_EQ(g->at(1).end, 34u);
}

} // namespace
} // namespace flint::system
