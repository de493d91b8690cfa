// Parsing: version gate, Go encoding/json quirks, errors and hints.
#include <gtest/gtest.h>

#include "flint/config/config.h"

using namespace flint::config;

namespace {

struct VersionCase {
	const char *version;
	std::optional<ParseError> error;
};

class VersionGate : public ::testing::TestWithParam<VersionCase>
{
};

TEST_P(VersionGate, AcceptsExactlyTheSupportedSpecs)
{
	const auto &c = GetParam();
	auto res = parse(std::string(R"({"ignition": {"version": ")") + c.version + "\"}}");
	EXPECT_EQ(res.error, c.error) << c.version << "\n" << res.report.toString();
	if (!c.error) {
		ASSERT_TRUE(res.config);
		EXPECT_EQ(res.config->ignition.version, "3.7.0-experimental");
	}
}

INSTANTIATE_TEST_SUITE_P(Parse, VersionGate,
			 ::testing::Values(VersionCase{ "3.0.0", std::nullopt }, VersionCase{ "3.1.0", std::nullopt },
					   VersionCase{ "3.2.0", std::nullopt }, VersionCase{ "3.3.0", std::nullopt },
					   VersionCase{ "3.4.0", std::nullopt }, VersionCase{ "3.5.0", std::nullopt },
					   VersionCase{ "3.6.0", std::nullopt },
					   VersionCase{ "3.7.0-experimental", std::nullopt },
					   VersionCase{ "3.4.0-experimental", ParseError::UnknownVersion },
					   VersionCase{ "3.6.0-experimental", ParseError::UnknownVersion },
					   VersionCase{ "3.8.0-experimental", ParseError::UnknownVersion },
					   VersionCase{ "3.7.0", ParseError::UnknownVersion },
					   VersionCase{ "2.2.0", ParseError::UnknownVersion },
					   VersionCase{ "3.0.0+meta", ParseError::UnknownVersion },
					   VersionCase{ "03.0.0", std::nullopt },
					   VersionCase{ "3.0", ParseError::InvalidVersion },
					   VersionCase{ "", ParseError::InvalidVersion }));

TEST(Parse, EmptyInput)
{
	auto res = parse("");
	EXPECT_EQ(res.error, ParseError::Empty);
	EXPECT_EQ(parseErrorText(*res.error), "not a config (empty)");
}

TEST(Parse, CaseInsensitiveKeysAreUsedAndWarned)
{
	auto res = parse(R"({"ignition": {"version": "3.3.0"}, "STORAGE": {"Files": [{"PATH": "/a"}]}})");
	ASSERT_TRUE(res.config) << res.report.toString();
	ASSERT_EQ(res.config->storage.files.size(), 1u);
	EXPECT_EQ(res.config->storage.files[0].path, "/a");
	ASSERT_EQ(res.report.entries().size(), 1u) << res.report.toString();
	EXPECT_EQ(res.report.entries()[0].toString(), "warning at $.STORAGE, line 1 col 36: unused key STORAGE");
}

TEST(Parse, LastDuplicateKeyWins)
{
	auto res = parse(R"({"ignition": {"version": "3.3.0"}, "storage": {"files": [{"path": "/a", "path": "/b"}]}})");
	ASSERT_TRUE(res.config);
	EXPECT_EQ(res.config->storage.files[0].path, "/b");
}

TEST(Parse, NullIsAbsent)
{
	auto res = parse(R"({"ignition": {"version": "3.3.0"}, "storage": {"files": [{"path": "/a", "mode": null}]}})");
	ASSERT_TRUE(res.config) << res.report.toString();
	EXPECT_FALSE(res.config->storage.files[0].mode);
}

TEST(Parse, NullStructWarnsContextMismatch)
{
	auto res = parse(R"({"ignition": {"version": "3.3.0"}, "storage": null})");
	ASSERT_TRUE(res.config);
	ASSERT_EQ(res.report.entries().size(), 1u);
	EXPECT_EQ(res.report.entries()[0].severity, Severity::Warning);
	EXPECT_EQ(pathString(res.report.entries()[0].path), "$.storage");
}

TEST(Parse, VersionTypeError)
{
	auto res = parse(R"({"ignition": {"version": 3}})");
	EXPECT_EQ(res.error, ParseError::Invalid);
	ASSERT_EQ(res.report.entries().size(), 1u);
	EXPECT_EQ(res.report.entries()[0].message,
		  "json: cannot unmarshal number into Go struct field .Ignition.Version of type string");
}

TEST(Parse, TopLevelArray)
{
	auto res = parse("[]");
	EXPECT_EQ(res.error, ParseError::Invalid);
	ASSERT_EQ(res.report.entries().size(), 1u);
	EXPECT_EQ(res.report.entries()[0].message, "json: cannot unmarshal array into Go value of type util.versionStub");
}

TEST(Parse, FieldFromNewerSpecIsIgnored)
{
	auto res = parse(R"({"ignition": {"version": "3.2.0"}, "kernelArguments": {"shouldExist": ["a"]}})");
	ASSERT_TRUE(res.config);
	EXPECT_TRUE(res.config->kernelArguments.shouldExist.empty());
}

TEST(Parse, HintsForForeignFormats)
{
	EXPECT_NE(parse("variant: fcos\nversion: 1.5.0\n").hint.find("Butane"), std::string::npos);
	EXPECT_NE(parse("#cloud-config\nusers: []\n").hint.find("cloud"), std::string::npos);
	EXPECT_NE(parse(R"({"ignition": {"version": "2.2.0"}})").hint.find("2.x"), std::string::npos);
	EXPECT_TRUE(parse(R"({"ignition": {"version": "3.3.0"}})").hint.empty());
}

TEST(Parse, UnsupportedVersionHintNamesTheRange)
{
	struct Case {
		const char *version;
		const char *expected; // besides the supported range
	} cases[] = {
		{ "3.9.0", "newer than this build" },
		{ "4.0.0", "newer than this build" },
		{ "3.7.0", "newer than this build" },
		{ "3.4.0-experimental", "was a draft of 3.4.0" },
		{ "3.6.0-experimental", "was a draft of 3.6.0" },
		{ "3.3.0+build.1", "drop the build metadata: \"3.3.0\"" },
		{ "3.1.1", "is not supported" },
	};
	for (const auto &c : cases) {
		auto res = parse(std::string(R"({"ignition": {"version": ")") + c.version + "\"}}");
		ASSERT_EQ(res.error, ParseError::UnknownVersion) << c.version;
		EXPECT_NE(res.hint.find(supportedRangeText()), std::string::npos) << res.hint;
		EXPECT_NE(res.hint.find(c.expected), std::string::npos) << res.hint;
		EXPECT_NE(res.hint.find(c.version), std::string::npos) << res.hint;
	}
}

TEST(Translate, SpecialModeBitsDroppedBefore36)
{
	auto old = parse(R"({"ignition": {"version": "3.5.0"}, "storage": {"files": [{"path": "/a", "mode": 3565}]}})");
	ASSERT_TRUE(old.config);
	EXPECT_EQ(*old.config->storage.files[0].mode, 0755);
	auto cur = parse(R"({"ignition": {"version": "3.6.0"}, "storage": {"files": [{"path": "/a", "mode": 3565}]}})");
	ASSERT_TRUE(cur.config);
	EXPECT_EQ(*cur.config->storage.files[0].mode, 06755);
}

TEST(Translate, OldStringFieldsBecomeSetPointers)
{
	auto res = parse(R"({"ignition": {"version": "3.2.0"}, "storage": {"links": [{"path": "/l"}],
		"raid": [{"name": "md", "level": "raid1", "devices": ["/dev/a"]}]}})");
	ASSERT_TRUE(res.config) << res.report.toString();
	ASSERT_TRUE(res.config->storage.links[0].target);
	EXPECT_EQ(*res.config->storage.links[0].target, "");
	// Translated, the empty target fails the latest spec's validation, as in Ignition.
	EXPECT_TRUE(validate(*res.config).isFatal());
}

TEST(Translate, CaSourceOf30)
{
	auto res = parse(R"({"ignition": {"version": "3.0.0", "security": {"tls": {"certificateAuthorities": [{"source": "data:,x"}]}}}})");
	ASSERT_TRUE(res.config) << res.report.toString();
	EXPECT_EQ(*res.config->ignition.security.tls.certificateAuthorities[0].source, "data:,x");
}

} // namespace
