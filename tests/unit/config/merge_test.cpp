// Unit tests for config::merge: one case per rule of Ignition's config/merge,
// plus a whole parent/child chain checked against Ignition 2.14's output.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "flint/config/config.h"

namespace flint::config {
namespace {

File file(std::string path)
{
	File f;
	f.path = std::move(path);
	return f;
}

Directory directory(std::string path)
{
	Directory d;
	d.path = std::move(path);
	return d;
}

Link link(std::string path, std::string target)
{
	Link l;
	l.path = std::move(path);
	l.target = std::move(target);
	return l;
}

Resource resource(std::string source)
{
	Resource r;
	r.source = std::move(source);
	return r;
}

Partition partition(std::int64_t number, OptString label)
{
	Partition p;
	p.number = number;
	p.label = std::move(label);
	return p;
}

// One merge case: parent, child and the expected result, built by hand.
struct MergeCase {
	const char *name;
	Config parent;
	Config child;
	Config expected;
};

std::vector<MergeCase> mergeCases()
{
	std::vector<MergeCase> cases;

	cases.push_back({ "EmptyConfigsStayEmpty", {}, {}, {} });

	{
		// Plain fields: the child always wins (Ignition's own test case).
		MergeCase c{ "VersionChildWins", {}, {}, {} };
		c.parent.ignition.version = "1234";
		c.child.ignition.version = "haha this isn't validated";
		c.expected.ignition.version = "haha this isn't validated";
		cases.push_back(c);
	}
	{
		// ... even when the child's is empty, as long as its struct is not zero.
		MergeCase c{ "PlainFieldChildWinsEvenIfEmpty", {}, {}, {} };
		c.parent.ignition.version = "3.0.0";
		c.child.ignition.timeouts.httpTotal = 7;
		c.expected.ignition.timeouts.httpTotal = 7;
		c.expected.ignition.version = "";
		cases.push_back(c);
	}
	{
		MergeCase c{ "OptionalChildWinsIfSet", {}, {}, {} };
		c.parent.ignition.version = c.child.ignition.version = "3.7.0-experimental";
		c.parent.ignition.timeouts.httpTotal = 5;
		c.parent.ignition.timeouts.httpResponseHeaders = 10;
		c.parent.ignition.proxy.httpProxy = "http://parent";
		c.child.ignition.timeouts.httpResponseHeaders = 0; // set to 0: still wins
		c.child.ignition.proxy.httpsProxy = "https://child";
		c.expected = c.parent;
		c.expected.ignition.timeouts.httpResponseHeaders = 0;
		c.expected.ignition.proxy.httpsProxy = "https://child";
		cases.push_back(c);
	}
	{
		// A zero child struct keeps the parent's, a zero parent struct takes the child's.
		MergeCase c{ "ZeroStructTakesOtherSide", {}, {}, {} };
		c.parent.ignition.version = "3.7.0-experimental";
		c.parent.storage.files = { file("/p") };
		c.child.ignition.version = "3.7.0-experimental";
		c.child.systemd.units.push_back(Unit{ {}, {}, true, {}, "c.service" });
		c.expected = c.parent;
		c.expected.systemd = c.child.systemd;
		cases.push_back(c);
	}
	{
		// Keyed list: parent order kept, same key merged in place, new child items appended.
		MergeCase c{ "KeyedListReplacesInPlaceAndAppends", {}, {}, {} };
		Disk foo{ "foo", { partition(1, "label") }, true };
		foo.partitions[0].startMiB = 4;
		Disk bar{ "bar", {}, true };
		c.parent.storage.disks = { foo, bar };
		Disk fooChild{ "foo", { partition(1, "labelchanged"), partition(2, "label2") }, false };
		Disk barChild{ "bar", {}, {} };
		Disk baz{ "baz", {}, true };
		c.child.storage.disks = { barChild, fooChild, baz };
		Disk fooResult{ "foo", { partition(1, "labelchanged"), partition(2, "label2") }, false };
		fooResult.partitions[0].startMiB = 4;
		c.expected.storage.disks = { fooResult, bar, baz };
		cases.push_back(c);
	}
	{
		// Partition keys: "number:N" if N != 0, else "label:L", else "".
		MergeCase c{ "PartitionKeys", {}, {}, {} };
		Disk parent{ "/dev/vda", { partition(1, "p1"), partition(0, "x"), partition(0, {}) }, {} };
		parent.partitions[0].sizeMiB = 10;
		parent.partitions[2].typeGuid = "parent-type";
		Disk child{ "/dev/vda", { partition(1, {}), partition(0, "x"), partition(0, {}), partition(3, "x") }, {} };
		child.partitions[0].sizeMiB = 20;
		child.partitions[1].sizeMiB = 30;
		child.partitions[2].guid = "child-guid";
		c.parent.storage.disks = { parent };
		c.child.storage.disks = { child };
		Disk result{ "/dev/vda", { partition(1, "p1"), partition(0, "x"), partition(0, {}), partition(3, "x") }, {} };
		result.partitions[0].sizeMiB = 20;
		result.partitions[1].sizeMiB = 30;
		result.partitions[2].typeGuid = "parent-type";
		result.partitions[2].guid = "child-guid";
		c.expected.storage.disks = { result };
		cases.push_back(c);
	}
	{
		// String lists are keyed by value (Ignition's own test case).
		MergeCase c{ "StringListsKeyedByValue", {}, {}, {} };
		PasswdUser parent;
		parent.name = "bovik";
		parent.sshAuthorizedKeys = { "one", "two" };
		parent.groups = { "wheel" };
		PasswdUser child;
		child.name = "bovik";
		child.sshAuthorizedKeys = { "three", "two" };
		child.shell = "/bin/zsh";
		c.parent.passwd.users = { parent };
		c.child.passwd.users = { child };
		PasswdUser result = parent;
		result.sshAuthorizedKeys = { "one", "two", "three" };
		result.shell = "/bin/zsh";
		c.expected.passwd.users = { result };
		c.parent.ignition.proxy.noProxy = { "a", "b" };
		c.child.ignition.proxy.noProxy = { "c", "a" };
		c.expected.ignition.proxy.noProxy = { "a", "b", "c" };
		cases.push_back(c);
	}
	{
		// Files, directories and links share one key space: the child's entry
		// in another list removes the parent's; a same-list entry merges.
		MergeCase c{ "NodesCrossListRemoval", {}, {}, {} };
		File a = file("/a");
		a.mode = 0644;
		c.parent.storage.files = { a, file("/b"), file("/c") };
		c.parent.storage.directories = { directory("/d") };
		c.parent.storage.links = { link("/l", "/x") };
		File aChild = file("/a");
		aChild.overwrite = true;
		c.child.storage.files = { aChild, file("/d") };
		c.child.storage.directories = { directory("/b") };
		c.child.storage.links = { link("/c", "/y") };
		File aResult = a;
		aResult.overwrite = true;
		c.expected.storage.files = { aResult, file("/d") };
		c.expected.storage.directories = { directory("/b") };
		c.expected.storage.links = { link("/l", "/x"), link("/c", "/y") };
		cases.push_back(c);
	}
	{
		MergeCase c{ "KernelArgumentsCrossListRemoval", {}, {}, {} };
		c.parent.kernelArguments = { { "a", "b" }, { "c" } };
		c.child.kernelArguments = { { "c", "d" }, { "a" } };
		c.expected.kernelArguments = { { "b", "c", "d" }, { "a" } };
		cases.push_back(c);
	}
	{
		// IgnoreDuplicates() lists are concatenated, duplicates and all.
		MergeCase c{ "AppendListsConcatenated", {}, {}, {} };
		File f = file("/f");
		f.append = { resource("data:,1"), resource("data:,2") };
		File fChild = file("/f");
		fChild.append = { resource("data:,2"), resource("data:,3") };
		File fResult = file("/f");
		fResult.append = { resource("data:,1"), resource("data:,2"), resource("data:,2"),
				   resource("data:,3") };
		c.parent.storage.files = { f };
		c.child.storage.files = { fChild };
		c.expected.storage.files = { fResult };

		Filesystem fs;
		fs.device = "/dev/vda1";
		fs.options = { "-E", "x" };
		fs.mountOptions = { "ro" };
		Filesystem fsChild;
		fsChild.device = "/dev/vda1";
		fsChild.options = { "-E", "y" };
		fsChild.mountOptions = { "ro", "noatime" };
		Filesystem fsResult;
		fsResult.device = "/dev/vda1";
		fsResult.options = { "-E", "x", "-E", "y" };
		fsResult.mountOptions = { "ro", "ro", "noatime" };
		c.parent.storage.filesystems = { fs };
		c.child.storage.filesystems = { fsChild };
		c.expected.storage.filesystems = { fsResult };

		c.parent.storage.raid = { Raid{ { "/dev/a", "/dev/b" }, "raid1", "md0", { "-v" }, {} } };
		c.child.storage.raid = { Raid{ { "/dev/c", "/dev/a" }, {}, "md0", { "-v" }, 1 } };
		c.expected.storage.raid = { Raid{ { "/dev/a", "/dev/b", "/dev/c" }, "raid1", "md0", { "-v", "-v" }, 1 } };

		Luks l;
		l.name = "l";
		l.options = { "--x" };
		l.openOptions = { "--a", "--b" };
		Luks lChild;
		lChild.name = "l";
		lChild.options = { "--x" };
		lChild.openOptions = { "--b", "--c" };
		Luks lResult;
		lResult.name = "l";
		lResult.options = { "--x", "--x" };
		lResult.openOptions = { "--a", "--b", "--c" }; // keyed, not appended
		c.parent.storage.luks = { l };
		c.child.storage.luks = { lChild };
		c.expected.storage.luks = { lResult };
		cases.push_back(c);
	}
	{
		// A child header with the same name and no value deletes the parent's
		// header and disappears itself; without a parent header it stays.
		MergeCase c{ "NilHeaderDeletes", {}, {}, {} };
		Resource p = resource("https://example.com/h");
		p.httpHeaders = { { "H1", "v1" }, { "H2", "v2" }, { "H4", "v4" } };
		Resource ch = resource("https://example.com/h");
		ch.httpHeaders = { { "H1", {} }, { "H3", {} }, { "H2", "v22" } };
		Resource r = resource("https://example.com/h");
		r.httpHeaders = { { "H2", "v22" }, { "H4", "v4" }, { "H3", {} } };
		c.parent.ignition.config.replace = p;
		c.child.ignition.config.replace = ch;
		c.expected.ignition.config.replace = r;
		cases.push_back(c);
	}
	{
		// Merge and CA lists are keyed by source (nil source = "").
		MergeCase c{ "ResourceListsKeyedBySource", {}, {}, {} };
		Resource a = resource("https://a");
		a.httpHeaders = { { "X", "1" } };
		Resource b = resource("https://b");
		Resource bChild = resource("https://b");
		bChild.verification.hash = "sha512-00";
		Resource none;
		none.compression = "gzip";
		Resource noneChild;
		noneChild.verification.hash = "sha256-00";
		Resource noneResult = none;
		noneResult.verification.hash = "sha256-00";
		c.parent.ignition.config.merge = { a, b, none };
		c.child.ignition.config.merge = { resource("https://c"), bChild, noneChild };
		c.expected.ignition.config.merge = { a, bChild, noneResult, resource("https://c") };
		c.parent.ignition.security.tls.certificateAuthorities = { a };
		c.child.ignition.security.tls.certificateAuthorities = { b };
		c.expected.ignition.security.tls.certificateAuthorities = { a, b };
		cases.push_back(c);
	}
	{
		MergeCase c{ "UnitsAndDropins", {}, {}, {} };
		c.parent.systemd.units = { Unit{ "[Unit]", { Dropin{ "X=1", "x.conf" } }, true, {}, "a.service" } };
		c.child.systemd.units = { Unit{ {}, {}, {}, true, "b.service" },
					  Unit{ {}, { Dropin{ "Y=1", "y.conf" }, Dropin{ "X=2", "x.conf" } }, {}, {}, "a.service" } };
		c.expected.systemd.units = {
			Unit{ "[Unit]", { Dropin{ "X=2", "x.conf" }, Dropin{ "Y=1", "y.conf" } }, true, {}, "a.service" },
			Unit{ {}, {}, {}, true, "b.service" },
		};
		cases.push_back(c);
	}
	{
		MergeCase c{ "LuksClevisAndCex", {}, {}, {} };
		Luks p;
		p.name = "root";
		p.device = "/dev/vda4";
		p.clevis.tang = { Tang{ {}, "tp1", "http://t1" }, Tang{ {}, "tp2", "http://t2" } };
		p.clevis.threshold = 2;
		p.keyFile = resource("data:,k");
		Luks ch;
		ch.name = "root";
		ch.cex.enabled = true;
		ch.discard = true;
		ch.clevis.tang = { Tang{ "{}", {}, "http://t2" } };
		ch.clevis.custom.needsNetwork = false;
		Luks r = p;
		r.cex.enabled = true;
		r.discard = true;
		r.clevis.tang[1].advertisement = "{}";
		r.clevis.custom.needsNetwork = false;
		c.parent.storage.luks = { p };
		c.child.storage.luks = { ch };
		c.expected.storage.luks = { r };
		cases.push_back(c);
	}
	{
		// The child repeats a key: Go's map keeps the last one, which is the
		// one merged; neither copy is appended since the parent has the key.
		MergeCase c{ "ChildDuplicateKeyLastWins", {}, {}, {} };
		File p = file("/x");
		p.mode = 0600;
		File c1 = file("/x");
		c1.overwrite = true;
		File c2 = file("/x");
		c2.overwrite = false;
		File r = p;
		r.overwrite = false;
		c.parent.storage.files = { p };
		c.child.storage.files = { c1, c2, file("/y"), file("/y") };
		c.expected.storage.files = { r, file("/y"), file("/y") };
		cases.push_back(c);
	}
	{
		// The child has a key in two lists of one group: the later list in Go's
		// field order (directories, files, links) is the one that counts.
		MergeCase c{ "ChildKeyInTwoSiblingLists", {}, {}, {} };
		Directory pd = directory("/x");
		pd.mode = 0700;
		File pf = file("/x");
		pf.mode = 0600;
		c.parent.storage.directories = { pd };
		c.parent.storage.files = { pf };
		Directory cd = directory("/x");
		File cf = file("/x");
		cf.overwrite = true;
		c.child.storage.directories = { cd };
		c.child.storage.files = { cf };
		File rf = pf;
		rf.overwrite = true;
		// The parent's directory is dropped, and the child's is not appended
		// either: its key is in the parent's directories.
		c.expected.storage.directories = {};
		c.expected.storage.files = { rf };
		cases.push_back(c);
	}
	{
		// A parent that repeats a key has each copy merged with the child's.
		MergeCase c{ "ParentDuplicateKeyEachMerged", {}, {}, {} };
		c.parent.passwd.groups = { PasswdGroup{ 1, "g", {}, {}, {} }, PasswdGroup{ 2, "g", {}, {}, {} } };
		c.child.passwd.groups = { PasswdGroup{ {}, "g", {}, {}, true } };
		c.expected.passwd.groups = { PasswdGroup{ 1, "g", {}, {}, true }, PasswdGroup{ 2, "g", {}, {}, true } };
		cases.push_back(c);
	}
	{
		// Node owner structs: zero child keeps the parent's, otherwise merged.
		MergeCase c{ "NodeOwners", {}, {}, {} };
		File p = file("/o");
		p.user.id = 1;
		p.group.name = "wheel";
		File ch = file("/o");
		ch.group.id = 10;
		File r = p;
		r.group.id = 10;
		c.parent.storage.files = { p };
		c.child.storage.files = { ch };
		c.expected.storage.files = { r };
		cases.push_back(c);
	}
	return cases;
}

class MergeTest : public testing::TestWithParam<MergeCase>
{
};

TEST_P(MergeTest, Merges)
{
	const MergeCase &c = GetParam();
	Config got = merge(c.parent, c.child);
	EXPECT_EQ(got, c.expected) << "got      " << toJson(got) << "\nexpected " << toJson(c.expected);
	// Taking the child's parts instead of copying them changes nothing.
	Config child = c.child;
	Config moved = merge(c.parent, std::move(child));
	EXPECT_EQ(moved, c.expected) << "moved    " << toJson(moved) << "\nexpected " << toJson(c.expected);
}

INSTANTIATE_TEST_SUITE_P(Merge, MergeTest, testing::ValuesIn(mergeCases()),
			 [](const testing::TestParamInfo<MergeCase> &info) { return info.param.name; });

TEST(Merge, EmptyConfig)
{
	Config cfg = emptyConfig();
	EXPECT_EQ(cfg.ignition.version, "3.7.0-experimental");
	Config expected;
	expected.ignition.version = "3.7.0-experimental";
	EXPECT_EQ(cfg, expected);
}

TEST(Merge, EmptyParentIsIdentity)
{
	Config child;
	child.ignition.version = "3.7.0-experimental";
	child.storage.files = { file("/a") };
	child.kernelArguments.shouldExist = { "quiet" };
	EXPECT_EQ(merge(emptyConfig(), child), child);
	EXPECT_EQ(merge(child, emptyConfig()), child);
}

// A parent with two data: URL children, rendered by Ignition 2.14
// (`ignition -platform file -stage fetch-offline`); the expected string is the
// /run/ignition.json it wrote. The children's sources are kept verbatim
// since the parent's merge list stays in the rendered config.
constexpr const char *kChild1Source =
	"data:,%7B%22ignition%22%3A%20%7B%22version%22%3A%20%223.3.0%22%2C%20%22timeouts%22%3A%20%7B%22httpResponseHeaders%22%3A%203%7D%2C%20%22proxy%22%3A%20%7B%22noProxy%22%3A%20%5B%22b%22%2C%20%22a%22%5D%7D%7D%2C%20%22kernelArguments%22%3A%20%7B%22shouldExist%22%3A%20%5B%22c%22%2C%20%22d%22%5D%2C%20%22shouldNotExist%22%3A%20%5B%22a%22%5D%7D%2C%20%22passwd%22%3A%20%7B%22users%22%3A%20%5B%7B%22name%22%3A%20%22core%22%2C%20%22sshAuthorizedKeys%22%3A%20%5B%22k3%22%2C%20%22k1%22%5D%2C%20%22shell%22%3A%20%22/bin/zsh%22%7D%5D%7D%2C%20%22storage%22%3A%20%7B%22files%22%3A%20%5B%7B%22path%22%3A%20%22/a%22%2C%20%22mode%22%3A%20384%2C%20%22append%22%3A%20%5B%7B%22source%22%3A%20%22data%3A%2C2%22%7D%5D%7D%2C%20%7B%22path%22%3A%20%22/new%22%7D%2C%20%7B%22path%22%3A%20%22/h%22%2C%20%22contents%22%3A%20%7B%22httpHeaders%22%3A%20%5B%7B%22name%22%3A%20%22H1%22%7D%2C%20%7B%22name%22%3A%20%22H3%22%7D%2C%20%7B%22name%22%3A%20%22H2%22%2C%20%22value%22%3A%20%22v22%22%7D%5D%2C%20%22source%22%3A%20%22https%3A//example.com/h%22%7D%7D%5D%2C%20%22links%22%3A%20%5B%7B%22path%22%3A%20%22/c%22%2C%20%22target%22%3A%20%22/y%22%7D%5D%2C%20%22directories%22%3A%20%5B%7B%22path%22%3A%20%22/b%22%7D%5D%2C%20%22disks%22%3A%20%5B%7B%22device%22%3A%20%22/dev/vda%22%2C%20%22wipeTable%22%3A%20true%2C%20%22partitions%22%3A%20%5B%7B%22number%22%3A%201%2C%20%22sizeMiB%22%3A%2020%7D%2C%20%7B%22number%22%3A%202%2C%20%22label%22%3A%20%22p2%22%7D%5D%7D%5D%2C%20%22filesystems%22%3A%20%5B%7B%22device%22%3A%20%22/dev/vda1%22%2C%20%22options%22%3A%20%5B%22b%22%5D%2C%20%22mountOptions%22%3A%20%5B%22m2%22%5D%2C%20%22format%22%3A%20%22ext4%22%7D%5D%7D%2C%20%22systemd%22%3A%20%7B%22units%22%3A%20%5B%7B%22name%22%3A%20%22b.service%22%2C%20%22mask%22%3A%20true%7D%2C%20%7B%22name%22%3A%20%22a.service%22%2C%20%22dropins%22%3A%20%5B%7B%22name%22%3A%20%22y.conf%22%2C%20%22contents%22%3A%20%22%5BUnit%5D%5CnY%3D1%22%7D%2C%20%7B%22name%22%3A%20%22x.conf%22%2C%20%22contents%22%3A%20%22%5BUnit%5D%5CnX%3D2%22%7D%5D%7D%5D%7D%7D";
constexpr const char *kChild2Source =
	"data:,%7B%22ignition%22%3A%20%7B%22version%22%3A%20%223.3.0%22%7D%2C%20%22storage%22%3A%20%7B%22files%22%3A%20%5B%7B%22path%22%3A%20%22/d1%22%7D%5D%7D%7D";

TEST(Merge, MatchesIgnition214Rendering)
{
	// All three at Ignition 2.14's latest version, as its translation leaves them.
	const std::string version = "3.4.0-experimental";

	Config parent;
	parent.ignition.version = version;
	parent.ignition.config.merge = { resource(kChild1Source), resource(kChild2Source) };
	parent.ignition.timeouts.httpTotal = 5;
	parent.ignition.proxy.noProxy = { "a" };
	parent.kernelArguments = { { "a", "b" }, { "c" } };
	PasswdUser core;
	core.name = "core";
	core.sshAuthorizedKeys = { "k1", "k2" };
	core.groups = { "wheel" };
	parent.passwd.users = { core };
	parent.passwd.groups = { PasswdGroup{ 5, "g", {}, {}, {} } };
	File a = file("/a");
	a.mode = 420;
	a.contents = resource("data:,p");
	a.append = { resource("data:,1") };
	File h = file("/h");
	h.contents = resource("https://example.com/h");
	h.contents.httpHeaders = { { "H1", "v1" }, { "H2", "v2" } };
	parent.storage.files = { a, file("/b"), file("/c"), h };
	Directory d1 = directory("/d1");
	d1.mode = 448;
	parent.storage.directories = { d1 };
	parent.storage.links = { link("/l1", "/x") };
	Disk vda{ "/dev/vda", { partition(1, "p1"), partition(0, "x") }, {} };
	vda.partitions[0].sizeMiB = 10;
	parent.storage.disks = { vda };
	Filesystem fs;
	fs.device = "/dev/vda1";
	fs.format = "ext4";
	fs.options = { "a" };
	fs.mountOptions = { "m1" };
	parent.storage.filesystems = { fs };
	parent.systemd.units = { Unit{ {}, { Dropin{ "[Unit]\nX=1", "x.conf" } }, true, {}, "a.service" } };

	Config child1;
	child1.ignition.version = version;
	child1.ignition.timeouts.httpResponseHeaders = 3;
	child1.ignition.proxy.noProxy = { "b", "a" };
	child1.kernelArguments = { { "c", "d" }, { "a" } };
	PasswdUser core1;
	core1.name = "core";
	core1.sshAuthorizedKeys = { "k3", "k1" };
	core1.shell = "/bin/zsh";
	child1.passwd.users = { core1 };
	File a1 = file("/a");
	a1.mode = 384;
	a1.append = { resource("data:,2") };
	File h1 = file("/h");
	h1.contents = resource("https://example.com/h");
	h1.contents.httpHeaders = { { "H1", {} }, { "H3", {} }, { "H2", "v22" } };
	child1.storage.files = { a1, file("/new"), h1 };
	child1.storage.links = { link("/c", "/y") };
	child1.storage.directories = { directory("/b") };
	Disk vda1{ "/dev/vda", { partition(1, {}), partition(2, "p2") }, true };
	vda1.partitions[0].sizeMiB = 20;
	child1.storage.disks = { vda1 };
	Filesystem fs1;
	fs1.device = "/dev/vda1";
	fs1.format = "ext4";
	fs1.options = { "b" };
	fs1.mountOptions = { "m2" };
	child1.storage.filesystems = { fs1 };
	child1.systemd.units = {
		Unit{ {}, {}, {}, true, "b.service" },
		Unit{ {}, { Dropin{ "[Unit]\nY=1", "y.conf" }, Dropin{ "[Unit]\nX=2", "x.conf" } }, {}, {}, "a.service" },
	};

	Config child2;
	child2.ignition.version = version;
	child2.storage.files = { file("/d1") };

	// Ignition's RenderConfig: mergedSoFar = Merge(mergedSoFar, child) per child.
	Config rendered = merge(merge(parent, child1), child2);

	const std::string expected =
		std::string(R"({"ignition":{"config":{"merge":[{"source":")") + kChild1Source +
		R"(","verification":{}},{"source":")" + kChild2Source +
		R"(","verification":{}}],"replace":{"verification":{}}},"proxy":{"noProxy":["a","b"]},"security":{"tls":{}},"timeouts":{"httpResponseHeaders":3,"httpTotal":5},"version":"3.4.0-experimental"},"kernelArguments":{"shouldExist":["b","c","d"],"shouldNotExist":["a"]},"passwd":{"groups":[{"gid":5,"name":"g"}],"users":[{"groups":["wheel"],"name":"core","sshAuthorizedKeys":["k1","k2","k3"],"shell":"/bin/zsh"}]},"storage":{"directories":[{"group":{},"path":"/b","user":{}}],"disks":[{"device":"/dev/vda","partitions":[{"label":"p1","number":1,"sizeMiB":20},{"label":"x"},{"label":"p2","number":2}],"wipeTable":true}],"files":[{"group":{},"path":"/a","user":{},"append":[{"source":"data:,1","verification":{}},{"source":"data:,2","verification":{}}],"contents":{"source":"data:,p","verification":{}},"mode":384},{"group":{},"path":"/h","user":{},"contents":{"httpHeaders":[{"name":"H2","value":"v22"},{"name":"H3"}],"source":"https://example.com/h","verification":{}}},{"group":{},"path":"/new","user":{},"contents":{"verification":{}}},{"group":{},"path":"/d1","user":{},"contents":{"verification":{}}}],"filesystems":[{"device":"/dev/vda1","format":"ext4","mountOptions":["m1","m2"],"options":["a","b"]}],"links":[{"group":{},"path":"/l1","user":{},"target":"/x"},{"group":{},"path":"/c","user":{},"target":"/y"}]},"systemd":{"units":[{"dropins":[{"contents":"[Unit]\nX=2","name":"x.conf"},{"contents":"[Unit]\nY=1","name":"y.conf"}],"enabled":true,"name":"a.service"},{"mask":true,"name":"b.service"}]}})";
	EXPECT_EQ(toJson(rendered), expected);
}

} // namespace
} // namespace flint::config
