// Table-driven tests of the Go-compatible flag parser and Ignition's flag set.
#include <gtest/gtest.h>

#include "engine/flags.h"

namespace {

using flint::engine::formatGoDuration;
using flint::engine::IgnitionCommandLine;
using flint::engine::parseGoBool;
using flint::engine::parseGoDuration;
using flint::engine::parseIgnitionFlags;
using Action = IgnitionCommandLine::Action;

constexpr std::int64_t kSecond = 1000000000LL;

struct DurationCase {
	const char *text;
	std::optional<std::int64_t> ns;
};

TEST(GoDuration, ParsesAsTimeParseDuration)
{
	const DurationCase cases[] = {
		{ "0", 0 },
		{ "+0", 0 },
		{ "-0", 0 },
		{ "2m0s", 120 * kSecond },
		{ "2m", 120 * kSecond },
		{ "1h", 3600 * kSecond },
		{ "1.5h", 5400 * kSecond },
		{ "300ms", 300000000 },
		{ "-1.5s", -1500000000 },
		{ "1h2m3s4ms5us6ns", 3723004005006 },
		{ "1\xc2\xb5s", 1000 },
		{ "1\xce\xbcs", 1000 },
		{ ".5s", 500000000 },
		{ "5.s", 5 * kSecond },
		{ "9223372036854775807ns", INT64_MAX },
		{ "-9223372036854775808ns", INT64_MIN },
		{ "9223372036854775808ns", std::nullopt },
		{ "", std::nullopt },
		{ "5", std::nullopt },     // missing unit
		{ "5x", std::nullopt },    // unknown unit
		{ ".s", std::nullopt },
		{ "s", std::nullopt },
		{ "1d", std::nullopt },
		{ " 1s", std::nullopt },
		{ "1s ", std::nullopt },
		{ "1S", std::nullopt },
		{ "3000000h", std::nullopt }, // overflow
	};
	for (const DurationCase &c : cases)
		EXPECT_EQ(parseGoDuration(c.text), c.ns) << c.text;
}

TEST(GoDuration, FormatsAsDurationString)
{
	EXPECT_EQ(formatGoDuration(120 * kSecond), "2m0s");
	EXPECT_EQ(formatGoDuration(0), "0s");
	EXPECT_EQ(formatGoDuration(1500000000), "1.5s");
	EXPECT_EQ(formatGoDuration(3723 * kSecond), "1h2m3s");
	EXPECT_EQ(formatGoDuration(300000000), "300ms");
	EXPECT_EQ(formatGoDuration(-kSecond), "-1s");
}

TEST(GoBool, AcceptsStrconvParseBoolSpellings)
{
	for (const char *t : { "1", "t", "T", "TRUE", "true", "True" })
		EXPECT_EQ(parseGoBool(t), true) << t;
	for (const char *f : { "0", "f", "F", "FALSE", "false", "False" })
		EXPECT_EQ(parseGoBool(f), false) << f;
	for (const char *bad : { "", "yes", "tRUE", "2", "on" })
		EXPECT_EQ(parseGoBool(bad), std::nullopt) << bad;
}

struct FlagCase {
	std::vector<std::string> args;
	Action action;
	std::string message; // for BadFlag and Missing
};

TEST(IgnitionFlags, ActionsAndMessagesMatchIgnition)
{
	const FlagCase cases[] = {
		{ { "-platform", "metal", "-stage", "files" }, Action::Run, "" },
		{ { "-platform=metal", "-stage=files" }, Action::Run, "" },
		{ { "--platform", "metal", "--stage=files" }, Action::Run, "" },
		{ { "--platform=qemu", "-stage", "fetch-offline", "extra", "args" }, Action::Run, "" },
		{ { "-platform", "file", "-stage", "umount", "--", "-x" }, Action::Run, "" },
		{ { "-version" }, Action::Version, "" },
		{ { "--version=true" }, Action::Version, "" },
		{ { "-version=false", "-platform", "metal", "-stage", "kargs" }, Action::Run, "" },
		{ { "-version", "-platform", "bogus" }, Action::BadFlag,
		  "invalid value \"bogus\" for flag -platform: bogus is not a valid platform; supported: [file metal qemu]" },
		{ { "-platform", "aws", "-stage", "files" }, Action::BadFlag,
		  "invalid value \"aws\" for flag -platform: aws is a valid Ignition platform but not supported by Flint "
		  "yet; supported: [file metal qemu]" },
		{ { "-h" }, Action::Help, "" },
		{ { "-help" }, Action::Help, "" },
		{ { "--help" }, Action::Help, "" },
		{ { "-platform", "metal", "-help" }, Action::Help, "" },
		{ {}, Action::Missing, "'--platform' must be provided" },
		{ { "-stage", "files" }, Action::Missing, "'--platform' must be provided" },
		{ { "-platform", "metal" }, Action::Missing, "'--stage' must be provided" },
		{ { "-" }, Action::Missing, "'--platform' must be provided" },
		{ { "stray", "-platform", "metal" }, Action::Missing, "'--platform' must be provided" },
		{ { "-bogus" }, Action::BadFlag, "flag provided but not defined: -bogus" },
		{ { "--bogus=1" }, Action::BadFlag, "flag provided but not defined: -bogus" },
		{ { "---platform", "metal" }, Action::BadFlag, "bad flag syntax: ---platform" },
		{ { "-=x" }, Action::BadFlag, "bad flag syntax: -=x" },
		{ { "-platform" }, Action::BadFlag, "flag needs an argument: -platform" },
		{ { "-stage", "foo" }, Action::BadFlag, "invalid value \"foo\" for flag -stage: foo is not a valid stage" },
		{ { "-fetch-timeout", "5x" }, Action::BadFlag,
		  "invalid value \"5x\" for flag -fetch-timeout: parse error" },
		{ { "-fetch-timeout=" }, Action::BadFlag, "invalid value \"\" for flag -fetch-timeout: parse error" },
		{ { "-log-to-stdout=maybe" }, Action::BadFlag,
		  "invalid boolean value \"maybe\" for -log-to-stdout: parse error" },
	};
	for (const FlagCase &c : cases) {
		std::string joined;
		for (const std::string &a : c.args)
			joined += a + " ";
		IgnitionCommandLine cl = parseIgnitionFlags(c.args);
		EXPECT_EQ(cl.action, c.action) << joined;
		EXPECT_EQ(cl.message, c.message) << joined;
	}
}

TEST(IgnitionFlags, ValuesAndDefaults)
{
	IgnitionCommandLine d = parseIgnitionFlags({ "-platform", "metal", "-stage", "disks" });
	ASSERT_EQ(d.action, Action::Run);
	EXPECT_EQ(d.options.configCache, "/run/ignition.json");
	EXPECT_EQ(d.options.fetchTimeoutNs, 120 * kSecond);
	EXPECT_EQ(d.options.needNet, "/run/ignition/neednet");
	EXPECT_EQ(d.options.root, "/");
	EXPECT_EQ(d.options.stateFile, "/run/ignition/state");
	EXPECT_FALSE(d.options.logToStdout);

	IgnitionCommandLine o = parseIgnitionFlags({ "--root=/sysroot", "-config-cache", "/tmp/c.json",
						     "-fetch-timeout=1m30s", "-neednet", "/tmp/nn",
						     "-state-file=/tmp/s", "-log-to-stdout", "-platform", "file",
						     "-stage", "fetch", "-platform=qemu" });
	ASSERT_EQ(o.action, Action::Run);
	EXPECT_EQ(o.options.root, "/sysroot");
	EXPECT_EQ(o.options.configCache, "/tmp/c.json");
	EXPECT_EQ(o.options.fetchTimeoutNs, 90 * kSecond);
	EXPECT_EQ(o.options.needNet, "/tmp/nn");
	EXPECT_EQ(o.options.stateFile, "/tmp/s");
	EXPECT_TRUE(o.options.logToStdout);
	EXPECT_EQ(o.options.platform, "qemu"); // the last one wins, as in Go
	EXPECT_EQ(o.options.stage, "fetch");

	// A boolean never takes the next argument as its value.
	IgnitionCommandLine b = parseIgnitionFlags({ "-log-to-stdout", "false", "-platform", "metal" });
	EXPECT_EQ(b.action, Action::Missing);
	EXPECT_TRUE(b.options.logToStdout);

	// -root may be empty (the blackbox harness passes "").
	IgnitionCommandLine e = parseIgnitionFlags({ "-root=", "-platform", "metal", "-stage", "files" });
	EXPECT_EQ(e.options.root, "");
}

TEST(IgnitionFlags, UsageAsGoPrintsIt)
{
	std::string u = flint::engine::ignitionUsage("/usr/bin/ignition");
	EXPECT_EQ(u, "Usage of /usr/bin/ignition:\n"
		     "  -config-cache string\n"
		     "    \twhere to cache the config (default \"/run/ignition.json\")\n"
		     "  -fetch-timeout duration\n"
		     "    \tinitial duration for which to wait for config (default 2m0s)\n"
		     "  -log-to-stdout\n"
		     "    \tlog to stdout instead of the system log when set\n"
		     "  -neednet string\n"
		     "    \tflag file to write from fetch-offline if networking is needed (default "
		     "\"/run/ignition/neednet\")\n"
		     "  -platform value\n"
		     "    \tcurrent platform. [file metal qemu]\n"
		     "  -root string\n"
		     "    \troot of the filesystem (default \"/\")\n"
		     "  -stage value\n"
		     "    \texecution stage. [disks fetch fetch-offline files kargs mount umount]\n"
		     "  -state-file string\n"
		     "    \twhere to store internal state (default \"/run/ignition/state\")\n"
		     "  -version\n"
		     "    \tprint the version and exit\n");
}

TEST(FlagSet, StopsAtFirstNonFlagAndDoubleDash)
{
	bool v = false;
	std::string s;
	flint::engine::FlagSet set;
	set.addBool("v", &v, "verbose");
	set.addString("s", &s, "string");

	ASSERT_EQ(set.parse({ "-v", "-s", "x", "file", "-v" }), flint::engine::FlagSet::Status::Ok);
	EXPECT_EQ(set.args(), (std::vector<std::string>{ "file", "-v" }));
	EXPECT_EQ(s, "x");

	ASSERT_EQ(set.parse({ "--", "-v" }), flint::engine::FlagSet::Status::Ok);
	EXPECT_EQ(set.args(), (std::vector<std::string>{ "-v" }));

	ASSERT_EQ(set.parse({ "-s", "--" }), flint::engine::FlagSet::Status::Ok);
	EXPECT_EQ(s, "--"); // a value may look like a flag
	EXPECT_TRUE(set.args().empty());

	ASSERT_EQ(set.parse({ "-", "-v" }), flint::engine::FlagSet::Status::Ok);
	EXPECT_EQ(set.args(), (std::vector<std::string>{ "-", "-v" }));

	// One-letter bool flags keep their usage on the same line, as Go does.
	EXPECT_EQ(set.defaults(), "  -s string\n    \tstring\n  -v\tverbose\n");
}

} // namespace
