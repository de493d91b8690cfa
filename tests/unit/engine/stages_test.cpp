// Tests of the stage bodies: no-op when the config asks nothing, an honest error otherwise.
#include <gtest/gtest.h>

#include "engine/stages.h"
#include "flint/base/log.h"

namespace {

using flint::config::Config;
using flint::engine::configNeedsNet;
using flint::engine::runStageBody;
using flint::engine::StageContext;

// Devices that do not exist are given up on at once.
const StageContext kCtx = [] {
	StageContext c{ "/nonexistent-root", "/nonexistent-dir/neednet" };
	c.deviceTimeout = std::chrono::milliseconds(100);
	return c;
}();

class Stages : public ::testing::Test
{
protected:
	void SetUp() override { flint::log::Logger::instance().setSink(flint::log::Sink::Capture); }
	void TearDown() override { flint::log::Logger::instance().reset(); }
};

TEST_F(Stages, EmptyConfigIsANoOpForEveryLaterStage)
{
	Config cfg;
	// (files always writes /etc/.ignition-result.json: tests/files.)
	for (const char *stage : { "kargs", "disks", "mount", "umount", "fetch" })
		EXPECT_TRUE(runStageBody(stage, cfg, kCtx)) << stage;
}

TEST_F(Stages, FilesFailsOnAMissingRootNamingIt)
{
	Config cfg;
	flint::Result<void> r = runStageBody("files", cfg, kCtx);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("/nonexistent-root"), std::string::npos) << r.error().message();
}

TEST_F(Stages, MountIgnoresFilesystemsWithoutPath)
{
	Config cfg;
	cfg.storage.filesystems.emplace_back().device = "/dev/vda1";
	EXPECT_TRUE(runStageBody("mount", cfg, kCtx));
	EXPECT_TRUE(runStageBody("umount", cfg, kCtx));
	EXPECT_FALSE(runStageBody("disks", cfg, kCtx));
}

TEST_F(Stages, ConfigNeedsNet)
{
	Config cfg;
	EXPECT_FALSE(configNeedsNet(cfg));

	cfg.storage.files.emplace_back().contents.source = "data:,hello";
	EXPECT_FALSE(configNeedsNet(cfg));
	cfg.storage.files.back().contents.source = "";
	EXPECT_FALSE(configNeedsNet(cfg));
	cfg.storage.files.back().append.emplace_back().source = "https://example.com/x";
	EXPECT_TRUE(configNeedsNet(cfg));

	Config tang;
	tang.storage.luks.emplace_back().clevis.tang.emplace_back().url = "http://tang";
	EXPECT_TRUE(configNeedsNet(tang));
	tang.storage.luks.back().clevis.tang.back().advertisement = "{}";
	EXPECT_FALSE(configNeedsNet(tang));
	tang.storage.luks.back().clevis.custom.needsNetwork = true;
	EXPECT_TRUE(configNeedsNet(tang));

	Config ca;
	ca.ignition.security.tls.certificateAuthorities.emplace_back().source = "s3://bucket/ca.pem";
	EXPECT_TRUE(configNeedsNet(ca));
}

} // namespace
