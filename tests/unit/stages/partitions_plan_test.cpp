// The partition plan: MiB to sectors, inherited geometry, number 0, Ignition's reuse matrix and its messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "disks/partitions_plan.h"
#include "flint/system/distro.h"

namespace {

using flint::config::Partition;
using flint::system::PartitionEntry;
using flint::system::PartitionTable;
using flint::system::SgdiskGeometry;
using namespace flint::stages::disks;

constexpr const char *kLinux = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
constexpr const char *kGuid1 = "11111111-2222-3333-4444-555555555555";

Partition part(int number, std::optional<std::int64_t> startMiB = std::nullopt,
	       std::optional<std::int64_t> sizeMiB = std::nullopt)
{
	Partition p;
	p.number = number;
	p.startMiB = startMiB;
	p.sizeMiB = sizeMiB;
	return p;
}

PartitionTable table512(std::vector<PartitionEntry> entries = {})
{
	PartitionTable t;
	t.logicalSectorSize = 512;
	t.sizeSectors = 131072;
	t.partitions = std::move(entries);
	return t;
}

PartitionEntry entry(int number, std::uint64_t start, std::uint64_t size, std::string label = "",
		     std::string guid = kGuid1, std::string type = kLinux)
{
	return PartitionEntry{ number, start, size, std::move(label), std::move(guid), std::move(type) };
}

std::vector<std::string> args(const flint::system::SgdiskOperation &op, bool pretend)
{
	std::vector<std::string> a = op.argv(pretend);
	a.erase(a.begin());
	return a;
}

// Resolves, applies the given geometry and decides, as the stage does.
flint::Result<std::vector<PartitionStep>> decide(const std::vector<Partition> &ps, const PartitionTable &t,
						 const std::map<int, SgdiskGeometry> &geometry = {})
{
	std::vector<WantedPartition> w = resolvePartitions(ps, t);
	if (flint::Result<void> r = applyGeometry(w, geometry); !r)
		return flint::unexpected(r.error());
	return decidePartitions("/dev/vdb", w, t);
}

// ---------------------------------------------------------------------------
// resolvePartitions

TEST(ResolvePartitions, MiBToLogicalSectors)
{
	std::vector<WantedPartition> w = resolvePartitions({ part(1, 1, 100) }, table512());
	ASSERT_EQ(w.size(), 1u);
	EXPECT_EQ(*w[0].start, 2048u);
	EXPECT_EQ(*w[0].size, 204800u);
	EXPECT_EQ(w[0].startSource, SectorSource::Config);
	EXPECT_FALSE(w[0].inspect);

	PartitionTable t4k = table512();
	t4k.logicalSectorSize = 4096;
	w = resolvePartitions({ part(1, 1, 100) }, t4k);
	EXPECT_EQ(*w[0].start, 256u);
	EXPECT_EQ(*w[0].size, 25600u);
}

TEST(ResolvePartitions, ZeroOrUnsetIsInspected)
{
	std::vector<WantedPartition> w =
		resolvePartitions({ part(1, 0, 10), part(2, 5, 0), part(3), part(4, 20, 10) }, table512());
	ASSERT_EQ(w.size(), 4u);
	EXPECT_TRUE(w[0].inspect);
	EXPECT_TRUE(w[1].inspect);
	EXPECT_TRUE(w[2].inspect);
	EXPECT_FALSE(w[3].inspect);
}

TEST(ResolvePartitions, UnsetInheritsFromExistingUnlessWiped)
{
	PartitionTable t = table512({ entry(1, 4096, 8192) });
	std::vector<WantedPartition> w = resolvePartitions({ part(1) }, t);
	EXPECT_EQ(*w[0].start, 4096u);
	EXPECT_EQ(*w[0].size, 8192u);
	EXPECT_EQ(w[0].sizeSource, SectorSource::Existing);
	EXPECT_FALSE(w[0].inspect);

	Partition wiped = part(1);
	wiped.wipePartitionEntry = true;
	w = resolvePartitions({ wiped }, t);
	EXPECT_FALSE(w[0].start);
	EXPECT_FALSE(w[0].size);
	EXPECT_TRUE(w[0].inspect);
}

TEST(ResolvePartitions, NumberZeroLastAndNextFree)
{
	Partition a = part(0, std::nullopt, 4);
	a.label = "a";
	Partition b = part(0, std::nullopt, 4);
	b.label = "b";
	Partition gone = part(5);
	gone.shouldExist = false;
	// On disk: 1 and 2; configured: 3 (exists), 5 (should not); 0, 0.
	PartitionTable t = table512({ entry(1, 2048, 2048), entry(2, 4096, 2048) });
	std::vector<WantedPartition> w = resolvePartitions({ a, part(3, 10, 1), b, gone }, t);
	ASSERT_EQ(w.size(), 4u);
	EXPECT_EQ(w[0].number, 3);
	EXPECT_EQ(w[1].number, 5);
	EXPECT_FALSE(w[1].inspect);
	EXPECT_EQ(w[2].number, 4);
	EXPECT_EQ(*w[2].label, "a");
	EXPECT_TRUE(w[2].autoNumber);
	// 5 is configured not to exist, so it is free again.
	EXPECT_EQ(w[3].number, 5);
	EXPECT_EQ(*w[3].label, "b");
}

// ---------------------------------------------------------------------------
// geometryOperation

TEST(GeometryOperation, DeletesConfiguredExistingCreatesWithoutLabels)
{
	Partition one = part(1, std::nullopt, 20);
	one.label = "root";
	one.typeGuid = kLinux;
	Partition gone = part(3);
	gone.shouldExist = false;
	gone.wipePartitionEntry = true;
	Partition fresh = part(0, std::nullopt, 0);
	fresh.label = "var";
	PartitionTable t = table512({ entry(1, 2048, 20480), entry(2, 22528, 2048), entry(3, 24576, 2048) });
	std::vector<WantedPartition> w = resolvePartitions({ fresh, one, gone }, t);
	EXPECT_EQ(args(geometryOperation("/dev/vdb", false, w, t), true),
		  (std::vector<std::string>{ "--pretend", "--delete=1", "--delete=3", "--new=1:2048:+40960",
					     std::string("--typecode=1:") + kLinux, "--new=3:0:+0", "--info=3",
					     "/dev/vdb" }));
}

TEST(GeometryOperation, NothingToAskIsEmpty)
{
	Partition gone = part(4);
	gone.shouldExist = false;
	std::vector<WantedPartition> w = resolvePartitions({ gone }, table512());
	flint::system::SgdiskOperation op = geometryOperation("/dev/vdb", true, w, table512());
	EXPECT_TRUE(op.empty());
	EXPECT_EQ(args(op, true), std::vector<std::string>{ "--pretend" });
}

TEST(GeometryOperation, WipeClearsInMemory)
{
	std::vector<WantedPartition> w = resolvePartitions({ part(1, 0, 8) }, table512());
	EXPECT_EQ(args(geometryOperation("/dev/vdb", true, w, table512()), true),
		  (std::vector<std::string>{ "--pretend", "--mbrtogpt", "--clear", "--new=1:0:+16384", "--info=1",
					     "/dev/vdb" }));
}

TEST(ApplyGeometry, FillsInspectedOnly)
{
	std::vector<WantedPartition> w = resolvePartitions({ part(1, 0, 10), part(2, 30, 10) }, table512());
	ASSERT_TRUE(applyGeometry(w, { { 1, SgdiskGeometry{ 2048, 22527 } } }));
	EXPECT_EQ(*w[0].start, 2048u);
	EXPECT_EQ(*w[0].size, 20480u);
	EXPECT_EQ(w[0].startSource, SectorSource::Sgdisk);
	EXPECT_EQ(w[0].sizeSource, SectorSource::Config);
	EXPECT_EQ(*w[1].start, 61440u);
	EXPECT_FALSE(applyGeometry(w, {})); // partition 1 not reported
}

// ---------------------------------------------------------------------------
// decidePartitions: the operator notes' matrix

struct MatrixCase {
	const char *name;
	bool present;
	std::optional<bool> shouldExist;
	std::optional<bool> wipe;
	bool matches;
	PartitionAction want; // Nothing doubles as "fails" when fails is set
	bool fails;
};

class Matrix : public ::testing::TestWithParam<MatrixCase>
{
};

TEST_P(Matrix, Decides)
{
	const MatrixCase &c = GetParam();
	PartitionTable t = c.present ? table512({ entry(1, 2048, 20480, "data") }) : table512();
	Partition p = part(1);
	p.shouldExist = c.shouldExist;
	p.wipePartitionEntry = c.wipe;
	if (c.shouldExist.value_or(true)) {
		p.startMiB = 1;
		p.sizeMiB = c.matches ? 10 : 20;
	}
	flint::Result<std::vector<PartitionStep>> s = decide({ p }, t);
	if (c.fails) {
		EXPECT_FALSE(s);
		return;
	}
	ASSERT_TRUE(s) << s.error().message();
	ASSERT_EQ(s->size(), 1u);
	EXPECT_EQ((*s)[0].action, c.want);
}

INSTANTIATE_TEST_SUITE_P(
	OperatorNotes, Matrix,
	::testing::Values(MatrixCase{ "AbsentNotWantedNoWipe", false, false, false, true, PartitionAction::Nothing, false },
			  MatrixCase{ "AbsentNotWantedWipe", false, false, true, true, PartitionAction::Nothing, false },
			  MatrixCase{ "AbsentWanted", false, true, false, true, PartitionAction::Create, false },
			  MatrixCase{ "AbsentWantedWipe", false, true, true, true, PartitionAction::Create, false },
			  MatrixCase{ "AbsentDefault", false, std::nullopt, std::nullopt, true,
				      PartitionAction::Create, false },
			  MatrixCase{ "PresentNotWantedNoWipe", true, false, false, true, PartitionAction::Nothing,
				      true },
			  MatrixCase{ "PresentNotWantedWipe", true, false, true, true, PartitionAction::Delete, false },
			  MatrixCase{ "PresentMatching", true, true, false, true, PartitionAction::Keep, false },
			  MatrixCase{ "PresentMatchingWipe", true, true, true, true, PartitionAction::Keep, false },
			  MatrixCase{ "PresentDifferent", true, true, false, false, PartitionAction::Nothing, true },
			  MatrixCase{ "PresentDifferentWipe", true, true, true, false, PartitionAction::Recreate,
				      false }),
	[](const ::testing::TestParamInfo<MatrixCase> &i) { return std::string(i.param.name); });

TEST(Decide, MismatchMessageNamesSectorsMiBAndFix)
{
	PartitionTable t = table512({ entry(1, 2048, 204800, "var") });
	flint::Result<std::vector<PartitionStep>> s = decide({ part(1, std::nullopt, 200) }, t);
	ASSERT_FALSE(s);
	EXPECT_EQ(s.error().message(),
		  "partition 1 on /dev/vdb didn't match: size is 204800 sectors (100 MiB), config wants 409600 sectors "
		  "(200 MiB); set resize: true to grow it or wipePartitionEntry: true to recreate it");
}

TEST(Decide, MismatchOfZeroSizeSaysWhereItCameFrom)
{
	PartitionTable t = table512({ entry(1, 2048, 20480) });
	// sizeMiB 0: sgdisk says the free space reaches sector 131038.
	flint::Result<std::vector<PartitionStep>> s =
		decide({ part(1, std::nullopt, 0) }, t, { { 1, SgdiskGeometry{ 2048, 131038 } } });
	ASSERT_FALSE(s);
	EXPECT_EQ(s.error().message(),
		  "partition 1 on /dev/vdb didn't match: size is 20480 sectors (10 MiB), config wants 128991 sectors "
		  "(62.98 MiB, from sizeMiB 0 or unset: up to the end of the free space); set resize: true to grow it "
		  "or wipePartitionEntry: true to recreate it");
}

TEST(Decide, EveryDifferenceIsListed)
{
	PartitionTable t = table512({ entry(2, 2048, 20480, "old") });
	Partition p = part(2, 2, 10);
	p.label = "new";
	p.typeGuid = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
	flint::Result<std::vector<PartitionStep>> s = decide({ p }, t);
	ASSERT_FALSE(s);
	EXPECT_EQ(s.error().message(),
		  "partition 2 on /dev/vdb didn't match: starts at sector 2048 (1 MiB), config wants sector 4096 (2 "
		  "MiB); type GUID is \"0FC63DAF-8483-4772-8E79-3D69D8477DE4\", config wants "
		  "\"C12A7328-F81F-11D2-BA4B-00A0C93EC93B\"; label is \"old\", config wants \"new\"; set "
		  "wipePartitionEntry: true to recreate it (its contents are lost) or change the config to match");
}

TEST(Decide, GuidsCompareCaseInsensitively)
{
	PartitionTable t = table512({ entry(1, 2048, 20480) });
	Partition p = part(1);
	p.guid = "11111111-2222-3333-4444-555555555555";
	p.typeGuid = "0fc63daf-8483-4772-8e79-3d69d8477de4";
	flint::Result<std::vector<PartitionStep>> s = decide({ p }, t);
	ASSERT_TRUE(s) << s.error().message();
	EXPECT_EQ((*s)[0].action, PartitionAction::Keep);
	// An empty GUID is "not specified"; an empty label is a label.
	p.guid = "";
	p.label = "";
	s = decide({ p }, t);
	ASSERT_TRUE(s);
	EXPECT_EQ((*s)[0].action, PartitionAction::Keep);
	p.label = "x";
	EXPECT_FALSE(decide({ p }, t));
}

TEST(Decide, ResizeKeepsIdentity)
{
	PartitionTable t = table512({ entry(1, 4096, 20480, "data", kGuid1, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B") });
	Partition p = part(1, std::nullopt, 16);
	p.resize = true;
	flint::Result<std::vector<PartitionStep>> s = decide({ p }, t);
	ASSERT_TRUE(s) << s.error().message();
	const PartitionStep &step = (*s)[0];
	EXPECT_EQ(step.action, PartitionAction::Resize);
	EXPECT_EQ(args(commitOperation("/dev/vdb", *s), false),
		  (std::vector<std::string>{ "--delete=1", "--new=1:4096:+32768", "--change-name=1:data",
					     "--typecode=1:C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
					     std::string("--partition-guid=1:") + kGuid1, "/dev/vdb" }));
	EXPECT_EQ(stepText(step), "resized partition 1 \"data\" from 20480 to 32768 sectors (start 4096)");
}

TEST(Decide, ResizeCannotMoveOrRename)
{
	PartitionTable t = table512({ entry(1, 4096, 20480, "data") });
	Partition p = part(1, 1, 16);
	p.resize = true;
	flint::Result<std::vector<PartitionStep>> s = decide({ p }, t);
	ASSERT_FALSE(s);
	EXPECT_NE(s.error().message().find("resize: true only applies when everything but the size matches"),
		  std::string::npos)
		<< s.error().message();
}

TEST(Decide, ShrinkWarnsAboutData)
{
	PartitionTable t = table512({ entry(1, 2048, 20480) });
	flint::Result<std::vector<PartitionStep>> s = decide({ part(1, std::nullopt, 4) }, t);
	ASSERT_FALSE(s);
	EXPECT_NE(s.error().message().find("set resize: true to shrink it (data past the new end is lost)"),
		  std::string::npos)
		<< s.error().message();
}

TEST(Decide, ShouldNotExistMessage)
{
	PartitionTable t = table512({ entry(3, 2048, 20480) });
	Partition p = part(3);
	p.shouldExist = false;
	flint::Result<std::vector<PartitionStep>> s = decide({ p }, t);
	ASSERT_FALSE(s);
	EXPECT_EQ(s.error().message(), "partition 3 on /dev/vdb exists but is specified as nonexistant and "
				       "wipePartitionEntry is false; set wipePartitionEntry: true to delete it (its "
				       "contents are lost)");
}

TEST(Decide, NumberZeroIsAlwaysNew)
{
	// Partition 2 is deleted and a new one takes its number: created, not
	// compared with the old 2.
	PartitionTable t = table512({ entry(1, 2048, 2048), entry(2, 4096, 2048, "old") });
	Partition gone = part(2);
	gone.shouldExist = false;
	gone.wipePartitionEntry = true;
	Partition fresh = part(0, std::nullopt, 1);
	fresh.label = "new";
	flint::Result<std::vector<PartitionStep>> s =
		decide({ fresh, gone }, t, { { 2, SgdiskGeometry{ 4096, 6143 } } });
	ASSERT_TRUE(s) << s.error().message();
	ASSERT_EQ(s->size(), 2u);
	EXPECT_EQ((*s)[0].action, PartitionAction::Delete);
	EXPECT_EQ((*s)[1].action, PartitionAction::Create);
	EXPECT_EQ((*s)[1].want.number, 2);
	EXPECT_EQ(args(commitOperation("/dev/vdb", *s), false),
		  (std::vector<std::string>{ "--delete=2", "--new=2:4096:+2048", "--change-name=2:new", "/dev/vdb" }));
}

TEST(StepText, Lines)
{
	PartitionTable t = table512({ entry(1, 2048, 2048, "a"), entry(3, 8192, 2048) });
	Partition keep = part(1);
	Partition gone = part(3);
	gone.shouldExist = false;
	gone.wipePartitionEntry = true;
	Partition fresh = part(2, 2, 2);
	fresh.label = "var";
	flint::Result<std::vector<PartitionStep>> s = decide({ keep, gone, fresh }, t);
	ASSERT_TRUE(s) << s.error().message();
	EXPECT_EQ(stepText((*s)[0]), "kept partition 1 \"a\" (start 2048, 2048 sectors)");
	EXPECT_EQ(stepText((*s)[1]), "deleted partition 3 (start 8192, 2048 sectors)");
	EXPECT_EQ(stepText((*s)[2]), "created partition 2 \"var\" (start 4096, 4096 sectors)");
	EXPECT_EQ(sectorsText(108511, 512), "108511 sectors (52.98 MiB)");
	EXPECT_EQ(sectorsText(2560, 4096), "2560 sectors (10 MiB)");
}

} // namespace
