// The failure summary: headline, redaction of URLs, control characters, wrapping and cutting, next steps, the file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/failure_summary.h"

using namespace flint;
using namespace flint::engine;

namespace {

std::size_t countLines(const std::string &s)
{
	std::size_t n = 0;
	for (char c : s)
		n += c == '\n';
	return n;
}

TEST(FailureSummary, HeadlineIsStable)
{
	EXPECT_EQ(summaryHeadline("disks"), "Flint: provisioning failed in the disks stage");
	Failure f;
	f.stage = "files";
	f.error = "boom";
	std::string s = formatFailureSummary(f);
	EXPECT_EQ(s.substr(0, s.find('\n')), "Flint: provisioning failed in the files stage");
}

struct RedactCase {
	const char *in;
	const char *out;
};

class RedactUrls : public testing::TestWithParam<RedactCase>
{
};

TEST_P(RedactUrls, Redacts)
{
	EXPECT_EQ(redactUrlsIn(GetParam().in), GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(
	Cases, RedactUrls,
	testing::Values(
		RedactCase{ "no url here", "no url here" },
		RedactCase{ "GET http://10.0.2.100:8080/c.ign: 404", "GET http://10.0.2.100:8080/c.ign: 404" },
		RedactCase{ "GET \"https://h/c.ign?token=s3cret\": 403", "GET \"https://h/c.ign?redacted\": 403" },
		RedactCase{ "fetching https://user:pw@h/x failed", "fetching https://redacted@h/x failed" },
		RedactCase{ "a tftp://h/f?x=1 and s3://b/k?X-Amz-Signature=abc",
			    "a tftp://h/f?redacted and s3://b/k?redacted" },
		RedactCase{ "source data:,secret%20text is bad", "source data URL is bad" },
		RedactCase{ "\"data:text/plain;base64,c2VjcmV0\"", "\"data URL\"" },
		// Prose, not a URL.
		RedactCase{ "data: none, and :// alone", "data: none, and :// alone" },
		RedactCase{ "x(https://h/p?q=1)", "x(https://h/p?redacted)" }));

TEST(FailureSummary, RedactsErrorOperationAndConfig)
{
	Failure f;
	f.stage = "fetch";
	f.operation = "fetching the config";
	f.error = "GET \"https://cfg.example/c.ign?sig=TOPSECRET\": status 403";
	f.configUrl = "https://admin:hunter2@cfg.example/c.ign?sig=TOPSECRET";
	std::string s = formatFailureSummary(f);
	EXPECT_EQ(s.find("TOPSECRET"), std::string::npos) << s;
	EXPECT_EQ(s.find("hunter2"), std::string::npos) << s;
	EXPECT_NE(s.find("  config:    https://redacted@cfg.example/c.ign?redacted (ignition.config.url)\n"),
		  std::string::npos)
		<< s;
	// The redacted URL cannot be fetched as it is: the hint says so.
	EXPECT_NE(s.find("flint fetch 'https://redacted@cfg.example/c.ign?redacted' | flint validate -  (with the real URL)"),
		  std::string::npos)
		<< s;
}

TEST(FailureSummary, Fields)
{
	Failure f;
	f.stage = "disks";
	f.operation = "running the disks stage";
	f.error = "disks: creating partitions: sgdisk: exit status 4";
	f.configUrl = "http://10.0.2.100:8080/c.ign";
	f.configCache = "/run/ignition.json";
	std::string s = formatFailureSummary(f);
	EXPECT_EQ(s, "Flint: provisioning failed in the disks stage\n"
		     "  operation: running the disks stage\n"
		     "  error:     disks: creating partitions: sgdisk: exit status 4\n"
		     "  config:    http://10.0.2.100:8080/c.ign (ignition.config.url)\n"
		     "  cached:    /run/ignition.json\n"
		     "  next:      journalctl -b -t ignition  (the whole log)\n"
		     "             journalctl -b -u ignition-disks.service\n"
		     "             flint validate /run/ignition.json\n"
		     "             see docs/debugging.md: rd.shell, flint.break=pre-disks\n"
		     "  The boot stopped before switching to the real root.\n");
}

TEST(FailureSummary, UmountIsTheMountUnit)
{
	Failure f;
	f.stage = "umount";
	f.error = "x";
	EXPECT_NE(formatFailureSummary(f).find("journalctl -b -u ignition-mount.service\n"), std::string::npos);
}

TEST(FailureSummary, LocalConfigPath)
{
	Failure f;
	f.stage = "fetch-offline";
	f.error = "config is not valid";
	f.configPath = "/usr/lib/ignition/user.ign";
	std::string s = formatFailureSummary(f);
	EXPECT_NE(s.find("  config:    /usr/lib/ignition/user.ign\n"), std::string::npos) << s;
	EXPECT_NE(s.find("             flint validate /usr/lib/ignition/user.ign\n"), std::string::npos) << s;
}

TEST(FailureSummary, DescribedSourceIsNotValidated)
{
	Failure f;
	f.stage = "fetch-offline";
	f.error = "config is not valid";
	f.configPath = "the qemu platform's config";
	std::string s = formatFailureSummary(f);
	EXPECT_NE(s.find("  config:    the qemu platform's config\n"), std::string::npos) << s;
	EXPECT_EQ(s.find("flint validate"), std::string::npos) << s;
}

TEST(FailureSummary, WrapsLongLines)
{
	Failure f;
	f.stage = "files";
	f.error = std::string(30, 'a') + " " + std::string(30, 'b') + " " + std::string(30, 'c');
	SummaryLimits lim;
	lim.width = 64;
	std::string s = formatFailureSummary(f, lim);
	EXPECT_NE(s.find("  error:     " + std::string(30, 'a') + " " + std::string(30, 'b') + "\n             " +
			 std::string(30, 'c') + "\n"),
		  std::string::npos)
		<< s;
	// A word longer than the width is cut hard.
	f.error = std::string(150, 'x');
	s = formatFailureSummary(f, lim);
	EXPECT_NE(s.find("  error:     " + std::string(64, 'x') + "\n             " + std::string(64, 'x') +
			 "\n             " + std::string(22, 'x') + "\n"),
		  std::string::npos)
		<< s;
}

TEST(FailureSummary, CutsLongErrorsAndSaysHowMany)
{
	Failure f;
	f.stage = "disks";
	std::ostringstream err;
	for (int i = 1; i <= 40; i++)
		err << "line " << i << "\n";
	f.error = err.str();
	SummaryLimits lim;
	lim.maxErrorLines = 10;
	std::string s = formatFailureSummary(f, lim);
	EXPECT_NE(s.find("             line 10\n"), std::string::npos) << s;
	EXPECT_EQ(s.find("line 11\n"), std::string::npos) << s;
	EXPECT_NE(s.find("             ... 30 more lines cut; the journal has the whole error\n"), std::string::npos) << s;
	// Bounded whatever the error: headline, operation-less fields, 10 + 1 error lines, next steps.
	EXPECT_LE(countLines(s), 20u) << s;

	f.error = std::string(1 << 20, 'z');
	s = formatFailureSummary(f, lim);
	EXPECT_LT(s.size(), 2000u);
	EXPECT_NE(s.find("more lines cut"), std::string::npos);
}

TEST(FailureSummary, OneLineCutIsSingular)
{
	Failure f;
	f.stage = "disks";
	f.error = "1\n2\n3";
	SummaryLimits lim;
	lim.maxErrorLines = 2;
	EXPECT_NE(formatFailureSummary(f, lim).find("... 1 more line cut;"), std::string::npos);
}

TEST(FailureSummary, ControlCharactersReplaced)
{
	Failure f;
	f.stage = "disks";
	f.error = "mkfs: \x1b[31mred\x1b[0m\ttab\r";
	std::string s = formatFailureSummary(f);
	EXPECT_EQ(s.find('\x1b'), std::string::npos);
	EXPECT_EQ(s.find('\r'), std::string::npos);
	EXPECT_NE(s.find("  error:     mkfs: ?[31mred?[0m tab\n"), std::string::npos) << s;
}

TEST(FailureSummary, EmptyError)
{
	Failure f;
	f.stage = "mount";
	EXPECT_NE(formatFailureSummary(f).find("  error:     (no error message)\n"), std::string::npos);
}

TEST(FailureSummary, PathFromEnvironment)
{
	ASSERT_EQ(setenv("FLINT_FAILURE_SUMMARY", "/x/summary", 1), 0);
	EXPECT_EQ(failureSummaryPath(), std::optional<std::string>("/x/summary"));
	ASSERT_EQ(setenv("FLINT_FAILURE_SUMMARY", "", 1), 0);
	EXPECT_EQ(failureSummaryPath(), std::nullopt);
	unsetenv("FLINT_FAILURE_SUMMARY");
}

TEST(FailureSummary, WritesTheFile)
{
	char dir[] = "/tmp/flint-summary-test.XXXXXX";
	ASSERT_NE(mkdtemp(dir), nullptr);
	std::string path = std::string(dir) + "/run/flint/failure-summary";
	ASSERT_TRUE(writeFailureSummary(path, "text\n"));
	std::ifstream in(path);
	std::stringstream got;
	got << in.rdbuf();
	EXPECT_EQ(got.str(), "text\n");
	struct stat st;
	ASSERT_EQ(stat(path.c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0644u);
	std::string cmd = std::string("rm -rf ") + dir;
	ASSERT_EQ(std::system(cmd.c_str()), 0);
}

} // namespace
