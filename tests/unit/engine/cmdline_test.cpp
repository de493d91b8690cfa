// The kernel command line parser: splitting and Ignition's ignition.config.* keys.
#include <gtest/gtest.h>

#include "engine/cmdline.h"

using namespace flint::engine;

namespace {

TEST(Cmdline, SplitsOnWhitespaceWithQuotes)
{
	EXPECT_EQ(splitCmdline("  a  b\tc\n"), (std::vector<std::string>{ "a", "b", "c" }));
	EXPECT_EQ(splitCmdline("k=\"x y\" z"), (std::vector<std::string>{ "k=x y", "z" }));
	EXPECT_EQ(splitCmdline("\"\""), (std::vector<std::string>{ "" }));
	EXPECT_TRUE(splitCmdline("").empty());
}

TEST(Cmdline, Keys)
{
	struct Case {
		const char *cmdline;
		const char *url, *device, *path;
	} cases[] = {
		{ "quiet ignition.config.url=http://h/c.ign ro", "http://h/c.ign", "", "" },
		// The last one wins, an empty value included (Ignition's parseCmdline).
		{ "ignition.config.url=http://a ignition.config.url=http://b", "http://b", "", "" },
		{ "ignition.config.url=http://a ignition.config.url=", "", "", "" },
		{ "ignition.config.url=http://a ignition.config.url", "http://a", "", "" },
		// Only the first '=' separates; the URL may hold more.
		{ "ignition.config.url=http://h/c?a=b&c=d", "http://h/c?a=b&c=d", "", "" },
		{ "ignition.config.urlx=http://a Ignition.config.url=http://b", "", "", "" },
		{ "ignition.config.device=CONFIG ignition.config.path=/c.ign", "", "CONFIG", "/c.ign" },
		{ "BOOT_IMAGE=/vmlinuz ignition.firstboot ignition.platform.id=metal", "", "", "" },
	};
	for (const auto &c : cases) {
		CmdlineConfig got = parseCmdline(c.cmdline);
		EXPECT_EQ(got.url, c.url) << c.cmdline;
		EXPECT_EQ(got.device, c.device) << c.cmdline;
		EXPECT_EQ(got.path, c.path) << c.cmdline;
	}
}

} // namespace
