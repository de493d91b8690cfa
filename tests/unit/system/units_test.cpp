// Unit tests for systemd units, drop-ins, masks and presets, with a differential check against Ignition 2.14.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "flint/system/distro.h"
#include "flint/system/exec.h"
#include "flint/system/root_dir.h"
#include "flint/system/units.h"

namespace flint::system {
namespace {

namespace fs = std::filesystem;

// The Debian package's Ignition 2.14, the reference for the differential test.
constexpr const char *kIgnition = "/usr/lib/dracut/modules.d/30ignition/ignition";

// ---------------------------------------------------------------------------
// presetFileContents

struct PresetCase {
	std::string_view name;
	std::vector<PresetEntry> entries;
	std::string_view want;
};

const std::vector<PresetCase> kPresetCases = {
	{ "Empty", {}, "" },
	{ "PlainEnable", { { "a.service", true } }, "enable a.service\n" },
	{ "PlainDisable", { { "a.service", false } }, "disable a.service\n" },
	{ "InstancesGroupedInEntryOrder",
	  { { "echo@foo.service", true }, { "echo@bar.service", true } },
	  "enable echo@.service foo bar\n" },
	{ "TemplateAcrossEntries",
	  { { "echo@a.service", true }, { "x.service", true }, { "echo@b.service", true }, { "echo@c.service", true } },
	  "enable echo@.service a b c\nenable x.service\n" },
	{ "TemplateMixedStatesSplit",
	  { { "echo@a.service", true }, { "echo@b.service", false }, { "echo@c.service", true } },
	  "disable echo@.service b\nenable echo@.service a c\n" },
	{ "MixedPlainEnableDisable",
	  { { "b.service", false }, { "a.service", true }, { "c.timer", false } },
	  "enable a.service\ndisable b.service\ndisable c.timer\n" },
	{ "SortedByKeyNotInput",
	  { { "z.service", true }, { "m.service", true }, { "a.service", true } },
	  "enable a.service\nenable m.service\nenable z.service\n" },
	// Keys are "<unit>-<state>", so '-' (0x2d) in a name sorts before the
	// '.' (0x2e) of another name's extension.
	{ "KeyOrderDashBeforeDot",
	  { { "foo.service", true }, { "foo-bar.service", true } },
	  "enable foo-bar.service\nenable foo.service\n" },
	{ "KeyOrderDotBeforeAt",
	  { { "foo@x.service", true }, { "foo.service", true } },
	  "enable foo.service\nenable foo@.service x\n" },
	{ "KeyOrderUppercaseFirst",
	  { { "b.service", true }, { "B.service", true } },
	  "enable B.service\nenable b.service\n" },
	{ "SameUnitBothStates",
	  { { "a.service", true }, { "a.service", false } },
	  "disable a.service\nenable a.service\n" },
	{ "RepeatedPlainUnitOneLine",
	  { { "a.service", true }, { "a.service", true } },
	  "enable a.service\n" },
	{ "TemplateItselfTrailingSpace", { { "t@.service", true } }, "enable t@.service \n" },
	{ "DottedInstance", { { "getty@tty1.x.service", true } }, "enable getty@.service tty1.x\n" },
	{ "SameStemDifferentTypes",
	  { { "foo@a.socket", true }, { "foo@b.service", true } },
	  "enable foo@.service b\nenable foo@.socket a\n" },
};

// Failure messages name the case instead of dumping its bytes.
void PrintTo(const PresetCase &c, std::ostream *os)
{
	*os << c.name;
}

class PresetFormat : public testing::TestWithParam<PresetCase>
{
};

TEST_P(PresetFormat, Contents)
{
	EXPECT_EQ(presetFileContents(GetParam().entries), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(Units, PresetFormat, testing::ValuesIn(kPresetCases),
			 [](const testing::TestParamInfo<PresetCase> &info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------
// Helpers for scratch roots

RootDir openRoot(const std::string &path)
{
	Result<RootDir> r = RootDir::open(path);
	if (!r)
		throw std::runtime_error(r.error().message());
	return std::move(*r);
}

// A temporary directory removed with everything in it at scope exit, and a
// RootDir on it, as the stage holds one for the whole run.
class Scratch final
{
public:
	Scratch()
	{
		char tmpl[] = "/tmp/flint-units-XXXXXX";
		const char *d = mkdtemp(tmpl);
		if (d) {
			path_ = d;
			root_.emplace(openRoot(path_));
		}
	}
	~Scratch()
	{
		root_.reset();
		if (!path_.empty()) {
			std::error_code ec;
			fs::remove_all(path_, ec);
		}
	}
	Scratch(const Scratch &) = delete;
	Scratch &operator=(const Scratch &) = delete;

	const std::string &path() const { return path_; }
	RootDir &root() { return *root_; }

private:
	std::string path_;
	std::optional<RootDir> root_;
};

std::string readFile(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

void writeFile(const std::string &path, std::string_view contents, mode_t mode = 0644)
{
	fs::create_directories(fs::path(path).parent_path());
	std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
	chmod(path.c_str(), mode);
}

mode_t modeOf(const std::string &path)
{
	struct stat st;
	if (lstat(path.c_str(), &st) < 0)
		return 0;
	return st.st_mode;
}

std::optional<std::string> linkTarget(const std::string &path)
{
	std::error_code ec;
	fs::path t = fs::read_symlink(path, ec);
	if (ec)
		return std::nullopt;
	return t.string();
}

// One node of a tree: "f 0644 <contents>", "d 0755", "l -> <target>".
using Tree = std::map<std::string, std::string>;

Tree snapshot(const std::string &dir, const std::string &skip = "")
{
	Tree t;
	std::error_code ec;
	for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
	     it.increment(ec)) {
		std::string full = it->path().string();
		std::string rel = full.substr(dir.size());
		if (rel == skip)
			continue;
		struct stat st;
		lstat(full.c_str(), &st);
		char mode[8];
		snprintf(mode, sizeof(mode), "%04o", st.st_mode & 07777);
		if (S_ISLNK(st.st_mode))
			t[rel] = "l -> " + linkTarget(full).value_or("?");
		else if (S_ISDIR(st.st_mode))
			t[rel] = std::string("d ") + mode;
		else
			t[rel] = std::string("f ") + mode + " " + readFile(full);
	}
	return t;
}

std::multiset<std::string> lines(const std::string &text)
{
	std::multiset<std::string> out;
	std::istringstream in(text);
	for (std::string l; std::getline(in, l);)
		out.insert(l);
	return out;
}

std::string describe(const Tree &t)
{
	std::string out;
	for (const auto &[path, node] : t)
		out += "  " + path + ": " + node + "\n";
	return out;
}

bool haveSystemctl()
{
	Result<ExecOutput> o = execCapture({ distro::kSystemctlCmd, "--version" });
	return o && WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0;
}

// ---------------------------------------------------------------------------
// Writing into a scratch root

TEST(UnitFiles, WriteUnitCreatesDirsAndFile)
{
	Scratch s;
	ASSERT_FALSE(s.path().empty());
	ASSERT_TRUE(writeUnit(s.root(), "a.service", "[Unit]\nDescription=a\n"));

	std::string unit = s.path() + "/etc/systemd/system/a.service";
	EXPECT_EQ(readFile(unit), "[Unit]\nDescription=a\n");
	EXPECT_EQ(modeOf(unit), S_IFREG | 0644);
	mode_t dirMode = 0755 & ~[] { mode_t m = umask(0); umask(m); return m; }();
	for (const char *d : { "/etc", "/etc/systemd", "/etc/systemd/system" })
		EXPECT_EQ(modeOf(s.path() + d), S_IFDIR | dirMode) << d;
	// No temporary file is left beside the unit.
	EXPECT_EQ(snapshot(s.path() + "/etc/systemd/system").size(), 1u);
}

TEST(UnitFiles, WriteUnitReplacesFileAndSymlink)
{
	Scratch s;
	std::string dir = s.path() + "/etc/systemd/system";
	writeFile(dir + "/a.service", "old", 0600);
	fs::create_symlink("/dev/null", dir + "/b.service");

	ASSERT_TRUE(writeUnit(s.root(), "a.service", "new"));
	ASSERT_TRUE(writeUnit(s.root(), "b.service", "unmasked by contents"));
	EXPECT_EQ(readFile(dir + "/a.service"), "new");
	EXPECT_EQ(modeOf(dir + "/a.service"), S_IFREG | 0644);
	EXPECT_EQ(modeOf(dir + "/b.service"), S_IFREG | 0644);
	EXPECT_EQ(readFile(dir + "/b.service"), "unmasked by contents");
}

TEST(UnitFiles, WriteUnitEmptyContents)
{
	Scratch s;
	ASSERT_TRUE(writeUnit(s.root(), "e.service", ""));
	EXPECT_EQ(modeOf(s.path() + "/etc/systemd/system/e.service"), S_IFREG | 0644);
	EXPECT_EQ(readFile(s.path() + "/etc/systemd/system/e.service"), "");
}

TEST(UnitFiles, WriteDropin)
{
	Scratch s;
	ASSERT_TRUE(writeDropin(s.root(), "a.service", "10-x.conf", "[Service]\nRestart=always\n"));
	ASSERT_TRUE(writeDropin(s.root(), "a.service", "20-empty.conf", ""));
	std::string dir = s.path() + "/etc/systemd/system/a.service.d";
	EXPECT_EQ(modeOf(dir) & S_IFMT, static_cast<mode_t>(S_IFDIR));
	EXPECT_EQ(readFile(dir + "/10-x.conf"), "[Service]\nRestart=always\n");
	EXPECT_EQ(modeOf(dir + "/10-x.conf"), S_IFREG | 0644);
	EXPECT_EQ(modeOf(dir + "/20-empty.conf"), S_IFREG | 0644);
	// The unit itself is not created by writing a drop-in.
	EXPECT_EQ(modeOf(s.path() + "/etc/systemd/system/a.service"), 0u);
}

TEST(UnitFiles, DotDotStaysUnderRoot)
{
	Scratch s;
	// Joined and cleaned as Ignition's JoinPath: "/etc/systemd/system/../../../../x" is "/x".
	ASSERT_TRUE(writeUnit(s.root(), "../../../../../x.service", "x"));
	EXPECT_EQ(readFile(s.path() + "/x.service"), "x");
}

TEST(UnitFiles, SymlinkedDirectoryResolvedInsideRoot)
{
	Scratch s, outside;
	// An absolute link in the image means that path inside the root, as
	// Ignition's JoinPath reads it; the host directory it names is untouched.
	fs::create_symlink(outside.path(), s.path() + "/etc");
	ASSERT_TRUE(writeUnit(s.root(), "a.service", "x"));
	EXPECT_EQ(readFile(s.path() + outside.path() + "/systemd/system/a.service"), "x");
	EXPECT_TRUE(fs::is_empty(outside.path()));

	// A relative link climbing out stops at the root.
	Scratch t;
	fs::create_symlink("../../../../..", t.path() + "/etc");
	ASSERT_TRUE(maskUnit(t.root(), "m.service"));
	EXPECT_EQ(linkTarget(t.path() + "/systemd/system/m.service"), "/dev/null");
}

TEST(UnitFiles, PresetSymlinkRefused)
{
	Scratch s, outside;
	fs::create_directories(s.path() + "/etc/systemd/system-preset");
	fs::create_symlink(outside.path() + "/p", s.path() + "/etc/systemd/system-preset/20-ignition.preset");
	EXPECT_FALSE(appendPresets(s.root(), { { "a.service", true } }));
	EXPECT_TRUE(fs::is_empty(outside.path()));
}

TEST(UnitFiles, MaskReplacesFileDirectoryOrNothing)
{
	Scratch s;
	std::string dir = s.path() + "/etc/systemd/system";
	writeFile(dir + "/file.service", "x");
	writeFile(dir + "/dir.service/deep/f", "x");
	fs::create_symlink("/etc/elsewhere", dir + "/link.service");

	for (const char *u : { "file.service", "dir.service", "link.service", "absent.service" }) {
		ASSERT_TRUE(maskUnit(s.root(), u)) << u;
		EXPECT_EQ(linkTarget(dir + "/" + u), "/dev/null") << u;
		EXPECT_EQ(isMasked(s.root(), u).value(), true) << u;
	}
	// Masking twice is fine.
	EXPECT_TRUE(maskUnit(s.root(), "file.service"));
}

TEST(UnitFiles, MaskInEmptyRootCreatesDirs)
{
	Scratch s;
	ASSERT_TRUE(maskUnit(s.root(), "m.service"));
	EXPECT_EQ(linkTarget(s.path() + "/etc/systemd/system/m.service"), "/dev/null");
}

TEST(UnitFiles, UnmaskRemovesOnlyDevNullLinks)
{
	Scratch s;
	std::string dir = s.path() + "/etc/systemd/system";
	fs::create_directories(dir);
	fs::create_symlink("/dev/null", dir + "/masked.service");
	fs::create_symlink("/lib/systemd/system/x.service", dir + "/other.service");
	fs::create_symlink("/dev/null/", dir + "/almost.service");
	writeFile(dir + "/file.service", "x");

	EXPECT_TRUE(isMasked(s.root(), "masked.service").value());
	EXPECT_FALSE(isMasked(s.root(), "other.service").value());
	EXPECT_FALSE(isMasked(s.root(), "almost.service").value());
	EXPECT_FALSE(isMasked(s.root(), "file.service").value());
	EXPECT_FALSE(isMasked(s.root(), "absent.service").value());

	for (const char *u : { "masked.service", "other.service", "almost.service", "file.service", "absent.service" })
		ASSERT_TRUE(unmaskUnit(s.root(), u)) << u;
	EXPECT_FALSE(fs::exists(fs::symlink_status(dir + "/masked.service")));
	EXPECT_EQ(linkTarget(dir + "/other.service"), "/lib/systemd/system/x.service");
	EXPECT_EQ(linkTarget(dir + "/almost.service"), "/dev/null/");
	EXPECT_EQ(readFile(dir + "/file.service"), "x");
}

TEST(UnitFiles, UnmaskInEmptyRootCreatesNothing)
{
	Scratch s;
	ASSERT_TRUE(unmaskUnit(s.root(), "m.service"));
	EXPECT_FALSE(isMasked(s.root(), "m.service").value());
	EXPECT_FALSE(fs::exists(s.path() + "/etc"));
}

TEST(UnitFiles, AppendPresets)
{
	Scratch s;
	std::string preset = s.path() + "/etc/systemd/system-preset/20-ignition.preset";
	ASSERT_TRUE(appendPresets(s.root(), {}));
	EXPECT_FALSE(fs::exists(s.path() + "/etc")) << "no entries must create nothing";

	ASSERT_TRUE(appendPresets(s.root(), { { "b.service", false }, { "a.service", true } }));
	ASSERT_TRUE(appendPresets(s.root(), { { "x@1.service", true }, { "x@2.service", true } }));
	EXPECT_EQ(readFile(preset), "enable a.service\ndisable b.service\nenable x@.service 1 2\n");
	EXPECT_EQ(modeOf(preset), S_IFREG | (0644 & ~[] { mode_t m = umask(0); umask(m); return m; }()));
}

TEST(UnitFiles, EmptyNamesRefused)
{
	Scratch s;
	EXPECT_FALSE(maskUnit(s.root(), ""));
	EXPECT_FALSE(writeUnit(s.root(), "", "x"));
	EXPECT_FALSE(writeDropin(s.root(), "a.service", "", "x"));
}

TEST(UnitFiles, MissingRootIsAnError)
{
	// The caller opens the root once; a missing one fails there.
	Result<RootDir> r = RootDir::open("/nonexistent/flint-root");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "open /nonexistent/flint-root: No such file or directory");
}

// ---------------------------------------------------------------------------
// systemctl --root

TEST(Systemctl, IsEnabledAndDisable)
{
	if (!haveSystemctl())
		GTEST_SKIP() << "systemctl is not installed";
	Scratch s;
	std::string dir = s.path() + "/etc/systemd/system";
	ASSERT_TRUE(writeUnit(s.root(), "a.service",
			      "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"));
	fs::create_directories(dir + "/multi-user.target.wants");
	fs::create_symlink("/etc/systemd/system/a.service", dir + "/multi-user.target.wants/a.service");

	Result<bool> e = isEnabled(s.root(), "a.service");
	ASSERT_TRUE(e) << e.error().message();
	EXPECT_TRUE(*e);
	ASSERT_TRUE(disableUnit(s.root(), "a.service"));
	EXPECT_FALSE(fs::exists(fs::symlink_status(dir + "/multi-user.target.wants/a.service")));
	EXPECT_FALSE(isEnabled(s.root(), "a.service").value());
	EXPECT_FALSE(isEnabled(s.root(), "absent.service").value());
}

// ---------------------------------------------------------------------------
// Differential check against Ignition 2.14's files stage

// One systemd.units entry, as in the config; unset optionals are absent keys.
struct TestDropin {
	std::string name;
	std::optional<std::string> contents;
};

struct TestUnit {
	std::string name;
	std::optional<std::string> contents;
	std::vector<TestDropin> dropins;
	std::optional<bool> enabled;
	std::optional<bool> mask;
};

struct DiffCase {
	std::string name;
	std::vector<TestUnit> units;
	// Extra nodes put in both roots first: path → contents, or "-> target"
	// for a symlink.
	std::map<std::string, std::string> seed;
	// The preset file Flint must write, exactly, by HEAD's ordering.
	std::string headPreset;
};

std::string jsonString(std::string_view s)
{
	std::string out = "\"";
	for (char c : s) {
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\t': out += "\\t"; break;
		default:
			if (static_cast<unsigned char>(c) < 0x20) {
				char buf[8];
				snprintf(buf, sizeof(buf), "\\u%04x", c);
				out += buf;
			} else {
				out += c;
			}
		}
	}
	return out + "\"";
}

std::string configJson(const std::vector<TestUnit> &units)
{
	std::string out = R"({"ignition":{"version":"3.3.0"},"systemd":{"units":[)";
	for (std::size_t i = 0; i < units.size(); i++) {
		const TestUnit &u = units[i];
		if (i)
			out += ",";
		out += "{\"name\":" + jsonString(u.name);
		if (u.contents)
			out += ",\"contents\":" + jsonString(*u.contents);
		if (u.enabled)
			out += std::string(",\"enabled\":") + (*u.enabled ? "true" : "false");
		if (u.mask)
			out += std::string(",\"mask\":") + (*u.mask ? "true" : "false");
		if (!u.dropins.empty()) {
			out += ",\"dropins\":[";
			for (std::size_t j = 0; j < u.dropins.size(); j++) {
				if (j)
					out += ",";
				out += "{\"name\":" + jsonString(u.dropins[j].name);
				if (u.dropins[j].contents)
					out += ",\"contents\":" + jsonString(*u.dropins[j].contents);
				out += "}";
			}
			out += "]";
		}
		out += "}";
	}
	return out + "]}}";
}

void seedRoot(const std::string &root, const DiffCase &c)
{
	writeFile(root + "/etc/selinux/config", "SELINUXTYPE=targeted\n");
	for (const auto &[path, what] : c.seed) {
		if (what.rfind("-> ", 0) == 0) {
			fs::create_directories(fs::path(root + path).parent_path());
			fs::create_symlink(what.substr(3), root + path);
		} else {
			writeFile(root + path, what, 0600);
		}
	}
}

// The files stage's units step, mapped by hand onto this module's functions
// in Ignition's order: per unit its drop-ins (contents set, even ""), the
// unit (contents non-empty), then mask or unmask; the presets last, with
// HEAD's "disable only what is enabled" before the preset lines.
void applyFlint(const std::string &rootPath, const std::vector<TestUnit> &units)
{
	RootDir root = openRoot(rootPath);
	std::vector<PresetEntry> presets;
	for (const TestUnit &u : units) {
		for (const TestDropin &d : u.dropins) {
			if (d.contents) {
				ASSERT_TRUE(writeDropin(root, u.name, d.name, *d.contents)) << u.name << " " << d.name;
			}
		}
		if (u.contents && !u.contents->empty()) {
			ASSERT_TRUE(writeUnit(root, u.name, *u.contents)) << u.name;
		}
		if (u.enabled)
			presets.push_back({ u.name, *u.enabled });
		if (u.mask && *u.mask) {
			ASSERT_TRUE(maskUnit(root, u.name)) << u.name;
		}
		if (u.mask && !*u.mask) {
			Result<bool> m = isMasked(root, u.name);
			ASSERT_TRUE(m) << m.error().message();
			if (*m) {
				ASSERT_TRUE(unmaskUnit(root, u.name)) << u.name;
			}
		}
	}
	for (const PresetEntry &p : presets) {
		if (p.enabled)
			continue;
		Result<bool> e = isEnabled(root, p.unit);
		ASSERT_TRUE(e) << e.error().message();
		if (*e) {
			ASSERT_TRUE(disableUnit(root, p.unit)) << p.unit;
		}
	}
	ASSERT_TRUE(appendPresets(root, presets));
}

const std::string kWantedBy = "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n";

const std::vector<DiffCase> kDiffCases = {
	{ "UnitWithDropins",
	  { { "a.service",
	      "[Unit]\nDescription=a\n",
	      { { "10-x.conf", "[Unit]\nAfter=b.service\n" }, { "20-empty.conf", "" }, { "30-nil.conf", std::nullopt } },
	      true,
	      std::nullopt },
	    { "dropins-only.service", std::nullopt, { { "x.conf", "[Service]\nRestart=always\n" } }, std::nullopt,
	      std::nullopt },
	    { "empty.service", "", {}, std::nullopt, std::nullopt } },
	  {},
	  "enable a.service\n" },
	{ "OverwriteExisting",
	  { { "a.service", "new\n", { { "x.conf", "new dropin\n" } }, std::nullopt, std::nullopt },
	    { "b.service", "b\n", {}, true, std::nullopt } },
	  { { "/etc/systemd/system/a.service", "old\n" },
	    { "/etc/systemd/system/a.service.d/x.conf", "old dropin\n" },
	    { "/etc/systemd/system-preset/20-ignition.preset", "enable earlier.service\n" } },
	  "enable earlier.service\nenable b.service\n" },
	{ "MaskAndUnmask",
	  { { "file.service", std::nullopt, {}, std::nullopt, true },
	    { "dir.service", std::nullopt, {}, std::nullopt, true },
	    { "written-then-masked.service", "x\n", {}, std::nullopt, true },
	    { "absent.service", std::nullopt, {}, std::nullopt, true },
	    { "was-masked.service", std::nullopt, {}, std::nullopt, false },
	    { "other-link.service", std::nullopt, {}, std::nullopt, false },
	    { "plain.service", std::nullopt, {}, std::nullopt, false } },
	  { { "/etc/systemd/system/file.service", "x\n" },
	    { "/etc/systemd/system/dir.service/sub/f", "x\n" },
	    { "/etc/systemd/system/was-masked.service", "-> /dev/null" },
	    { "/etc/systemd/system/other-link.service", "-> /lib/systemd/system/other.service" },
	    { "/etc/systemd/system/plain.service", "plain\n" } },
	  "" },
	{ "EnableDisableOrdering",
	  { { "z.service", kWantedBy, {}, true, std::nullopt },
	    { "foo.service", kWantedBy, {}, false, std::nullopt },
	    { "foo-bar.service", kWantedBy, {}, true, std::nullopt },
	    { "foo.socket", "[Socket]\nListenStream=/run/foo\n", {}, true, std::nullopt },
	    { "seeded.service", std::nullopt, {}, false, std::nullopt } },
	  { { "/etc/systemd/system/seeded.service", kWantedBy },
	    { "/etc/systemd/system/multi-user.target.wants/seeded.service", "-> /etc/systemd/system/seeded.service" },
	    { "/etc/systemd/system/multi-user.target.wants/foo.service", "-> /etc/systemd/system/foo.service" } },
	  "enable foo-bar.service\ndisable foo.service\nenable foo.socket\ndisable seeded.service\n"
	  "enable z.service\n" },
	// 2.14 asks systemd for its version over D-Bus when instances are
	// enabled, after writing the preset file; without a running systemd
	// that fails, which the runner below accepts.
	{ "Instances",
	  { { "echo@.service", kWantedBy, {}, std::nullopt, std::nullopt },
	    { "echo@foo.service", std::nullopt, {}, true, std::nullopt },
	    { "plain.service", "x\n", {}, true, std::nullopt },
	    { "echo@bar.service", std::nullopt, {}, true, std::nullopt },
	    { "echo@baz.service", std::nullopt, {}, false, std::nullopt },
	    { "t@.service", std::nullopt, {}, true, std::nullopt } },
	  {},
	  "disable echo@.service baz\nenable echo@.service foo bar\nenable plain.service\nenable t@.service \n" },
};

void PrintTo(const DiffCase &c, std::ostream *os)
{
	*os << c.name;
}

class Differential : public testing::TestWithParam<DiffCase>
{
};

TEST_P(Differential, SameTreeAsIgnition214)
{
	if (access(kIgnition, X_OK) != 0)
		GTEST_SKIP() << "Ignition 2.14 is not installed at " << kIgnition;
	if (!haveSystemctl())
		GTEST_SKIP() << "systemctl is not installed (both sides run systemctl --root disable)";
	const DiffCase &c = GetParam();
	Scratch work;
	ASSERT_FALSE(work.path().empty());
	std::string ignRoot = work.path() + "/ignition";
	std::string flintRoot = work.path() + "/flint";
	seedRoot(ignRoot, c);
	seedRoot(flintRoot, c);

	// The files stage relabels what it wrote with setfiles; a stub that
	// accepts the list stands in, as SELinux is not in use here.
	writeFile(work.path() + "/bin/setfiles", "#!/bin/sh\ncat >/dev/null\nexit 0\n", 0755);
	std::string cache = work.path() + "/config.json";
	writeFile(cache, configJson(c.units));

	const char *oldPath = getenv("PATH");
	std::string savedPath = oldPath ? oldPath : "/usr/sbin:/usr/bin:/sbin:/bin";
	setenv("PATH", (work.path() + "/bin:" + savedPath).c_str(), 1);
	Result<ExecOutput> o = execCapture({ kIgnition, "-platform", "file", "-stage", "files", "-root", ignRoot,
					     "-log-to-stdout", "-config-cache", cache, "-state-file",
					     work.path() + "/state" });
	setenv("PATH", savedPath.c_str(), 1);
	ASSERT_TRUE(o) << o.error().message();

	bool ok = WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0;
	if (!ok) {
		// Accepted only for the D-Bus systemd version query, and only
		// if it is the sole critical error.
		std::set<std::string> crit;
		for (const std::string &l : lines(o->out + o->err))
			if (l.rfind("CRITICAL", 0) == 0)
				crit.insert(l);
		ASSERT_EQ(crit.size(), 1u) << o->out << o->err;
		ASSERT_NE(crit.begin()->find("failed to create units: dial unix /run/systemd/private"), std::string::npos)
			<< o->out << o->err;
	}

	applyFlint(flintRoot, c.units);
	if (HasFatalFailure())
		return;

	const std::string presetRel = "/system-preset/20-ignition.preset";
	Tree ign = snapshot(ignRoot + "/etc/systemd", presetRel);
	Tree mine = snapshot(flintRoot + "/etc/systemd", presetRel);
	EXPECT_EQ(mine, ign) << "flint:\n" << describe(mine) << "ignition 2.14:\n" << describe(ign);

	std::string ignPresetPath = ignRoot + "/etc/systemd" + presetRel;
	std::string minePresetPath = flintRoot + "/etc/systemd" + presetRel;
	EXPECT_EQ(fs::exists(minePresetPath), fs::exists(ignPresetPath));
	if (fs::exists(ignPresetPath)) {
		EXPECT_EQ(modeOf(minePresetPath), modeOf(ignPresetPath));
		// 2.14 writes in Go's random map order, so only the set of lines
		// can be compared; the order is checked against HEAD's rule.
		EXPECT_EQ(lines(readFile(minePresetPath)), lines(readFile(ignPresetPath)));
	}
	EXPECT_EQ(readFile(minePresetPath), c.headPreset);
}

INSTANTIATE_TEST_SUITE_P(Units, Differential, testing::ValuesIn(kDiffCases),
			 [](const testing::TestParamInfo<DiffCase> &info) { return info.param.name; });

} // namespace
} // namespace flint::system
