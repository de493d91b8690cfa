// ${mac}-style placeholders: expansion rules, and the facts read from a sysfs tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/placeholders.h"

using namespace flint;
using namespace flint::engine;

namespace {

Result<std::string> fake(std::string_view name)
{
	if (name == "mac")
		return std::string("52:54:00:12:34:56");
	if (name == "uuid")
		return unexpected(std::string("cannot fill ${uuid}: no DMI"));
	return std::string("[") + std::string(name) + "]";
}

TEST(Placeholders, Expand)
{
	EXPECT_EQ(*expandPlaceholders("http://h/c.ign", fake), "http://h/c.ign");
	EXPECT_EQ(*expandPlaceholders("http://h/${mac}.ign?h=${hostname}", fake), "http://h/52:54:00:12:34:56.ign?h=[hostname]");
	EXPECT_EQ(*expandPlaceholders("${mac:hexhyp}", fake), "[mac:hexhyp]");
	EXPECT_EQ(*expandPlaceholders("$mac {mac} $", fake), "$mac {mac} $");

	auto unknown = expandPlaceholders("http://h/${serial}", fake);
	ASSERT_FALSE(unknown);
	EXPECT_EQ(unknown.error().message(),
		  "ignition.config.url: unknown placeholder ${serial}; Flint fills ${mac}, ${mac:hexhyp}, ${uuid}, ${hostname}");
	auto open = expandPlaceholders("http://h/${mac", fake);
	ASSERT_FALSE(open);
	EXPECT_EQ(open.error().message(), "ignition.config.url: unterminated placeholder at \"${mac\"");
	auto failed = expandPlaceholders("http://h/${uuid}", fake);
	ASSERT_FALSE(failed);
	EXPECT_EQ(failed.error().message(), "ignition.config.url: cannot fill ${uuid}: no DMI");
}

// A sysfs-shaped tree in a temporary directory: the reader's rules (which
// interface wins) are what is tested; the real /sys of the test machine has
// whatever NICs it has.
class FactsTest : public ::testing::Test
{
protected:
	void SetUp() override
	{
		root_ = std::filesystem::temp_directory_path() / ("flint-facts-" + std::to_string(::getpid()));
		std::filesystem::remove_all(root_);
	}
	void TearDown() override { std::filesystem::remove_all(root_); }
	void nic(const std::string &name, const std::string &mac, const std::string &type, bool physical)
	{
		auto d = root_ / "sys/class/net" / name;
		std::filesystem::create_directories(d);
		std::ofstream(d / "address") << mac << "\n";
		std::ofstream(d / "type") << type << "\n";
		if (physical)
			std::filesystem::create_directories(d / "device");
	}
	MachineSources sources(const std::string &cmdline = "")
	{
		MachineSources s;
		s.sysRoot = (root_ / "sys").string();
		s.procRoot = (root_ / "proc").string();
		s.cmdline = cmdline;
		return s;
	}
	std::filesystem::path root_;
};

TEST_F(FactsTest, MacPrefersBootifThenPhysicalThenVirtual)
{
	nic("lo", "00:00:00:00:00:00", "772", false);
	nic("br0", "AA:AA:AA:AA:AA:AA", "1", false);
	EXPECT_EQ(*machineFact("mac", sources()), "aa:aa:aa:aa:aa:aa");
	nic("enp2s0", "52:54:00:00:00:02", "1", true);
	nic("enp1s0", "52:54:00:00:00:01", "1", true);
	EXPECT_EQ(*machineFact("mac", sources()), "52:54:00:00:00:01");
	EXPECT_EQ(*machineFact("mac:hexhyp", sources()), "52-54-00-00-00-01");
	EXPECT_EQ(*machineFact("mac", sources("quiet BOOTIF=01-52-54-00-00-00-02 ro")), "52:54:00:00:00:02");
}

TEST_F(FactsTest, MissingFactsAreErrorsNamingThem)
{
	nic("lo", "00:00:00:00:00:00", "772", false);
	auto mac = machineFact("mac", sources());
	ASSERT_FALSE(mac);
	EXPECT_NE(mac.error().message().find("cannot fill ${mac}: no network interface"), std::string::npos);
	auto uuid = machineFact("uuid", sources());
	ASSERT_FALSE(uuid);
	EXPECT_NE(uuid.error().message().find("cannot fill ${uuid}: "), std::string::npos);

	std::filesystem::create_directories(root_ / "sys/class/dmi/id");
	std::ofstream(root_ / "sys/class/dmi/id/product_uuid") << "4C4C4544-0042-3510-8052-B4C04F4D3732\n";
	EXPECT_EQ(*machineFact("uuid", sources()), "4c4c4544-0042-3510-8052-b4c04f4d3732");
}

} // namespace
