// Tests of the Ignition-compatible logger (flint/base/log.h) as the engine uses it.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unistd.h>

#include "flint/base/log.h"

FLINT_LOG_DECLARE_CATEGORY(LogTest)
FLINT_LOG_DEFINE_CATEGORY(LogTest, "logtest")

namespace {

using flint::log::Level;
using flint::log::Logger;

class LogTest : public ::testing::Test
{
protected:
	void SetUp() override
	{
		Logger::instance().reset();
		Logger::instance().setSink(flint::log::Sink::Capture);
		flint::log::categoryLogTest().setThreshold(Level::Debug);
	}
	void TearDown() override { Logger::instance().reset(); }
	const std::vector<std::string> &lines() { return Logger::instance().captured(); }
};

TEST_F(LogTest, LabelsAsIgnitionStdoutLogger)
{
	const std::pair<Level, const char *> cases[] = {
		{ Level::Emergency, "EMERGENCY:" }, { Level::Alert, "ALERT    :" },
		{ Level::Critical, "CRITICAL :" },  { Level::Error, "ERROR    :" },
		{ Level::Warning, "WARNING  :" },   { Level::Notice, "NOTICE   :" },
		{ Level::Info, "INFO     :" },      { Level::Debug, "DEBUG    :" },
	};
	for (const auto &[level, label] : cases)
		EXPECT_EQ(flint::log::levelLabel(level), label);
	LOG(LogTest, Critical) << "Ignition failed: " << 42;
	ASSERT_EQ(lines().size(), 1u);
	EXPECT_EQ(lines()[0], "CRITICAL : Ignition failed: 42");
}

TEST_F(LogTest, PriorityValuesAreSyslogs)
{
	EXPECT_EQ(static_cast<int>(Level::Emergency), 0);
	EXPECT_EQ(static_cast<int>(Level::Critical), 2);
	EXPECT_EQ(static_cast<int>(Level::Warning), 4);
	EXPECT_EQ(static_cast<int>(Level::Debug), 7);
}

TEST_F(LogTest, PrefixStackJoinsWithColonSpace)
{
	flint::log::PrefixScope a("files");
	{
		flint::log::PrefixScope b("createFiles");
		LOG(LogTest, Info) << "x";
	}
	LOG(LogTest, Info) << "y";
	ASSERT_EQ(lines().size(), 2u);
	EXPECT_EQ(lines()[0], "INFO     : files: createFiles: x");
	EXPECT_EQ(lines()[1], "INFO     : files: y");
}

TEST_F(LogTest, OperationsAreNumberedInHexWithIgnitionMarkers)
{
	flint::log::PrefixScope stage("files");
	for (int i = 0; i < 9; i++)
		(void)flint::log::logOperation("noop", []() -> flint::Result<void> { return {}; });
	Logger::instance().clearCaptured();

	flint::Result<void> ok = flint::log::logOperation("writing file \"/sysroot/etc/x\"", []() -> flint::Result<void> {
		LOG(LogTest, Debug) << "inside";
		return {};
	});
	EXPECT_TRUE(ok);
	flint::Result<void> bad = flint::log::logOperation("writing file \"/sysroot/etc/y\"",
		[]() -> flint::Result<void> { return flint::unexpected("permission denied"); });
	ASSERT_FALSE(bad);
	EXPECT_EQ(bad.error().message(), "permission denied");

	const std::vector<std::string> want = {
		"INFO     : files: op(a): [started]  writing file \"/sysroot/etc/x\"",
		"DEBUG    : files: op(a): inside",
		"INFO     : files: op(a): [finished] writing file \"/sysroot/etc/x\"",
		"INFO     : files: op(b): [started]  writing file \"/sysroot/etc/y\"",
		"CRITICAL : files: op(b): [failed]   writing file \"/sysroot/etc/y\": permission denied",
	};
	EXPECT_EQ(lines(), want);
}

TEST_F(LogTest, DisabledLevelIsNeverFormatted)
{
	flint::log::categoryLogTest().setThreshold(Level::Info);
	int evaluated = 0;
	auto expensive = [&]() {
		evaluated++;
		return "text";
	};
	LOG(LogTest, Debug) << expensive();
	EXPECT_EQ(evaluated, 0);
	EXPECT_TRUE(lines().empty());
	LOG(LogTest, Info) << expensive();
	EXPECT_EQ(evaluated, 1);
	EXPECT_EQ(lines().size(), 1u);

	// Usable as the body of an if without braces, with an else.
	bool flag = true;
	if (flag)
		LOG(LogTest, Info) << "then";
	else
		LOG(LogTest, Info) << "else";
	EXPECT_EQ(lines().back(), "INFO     : then");
}

TEST_F(LogTest, StructuredEntriesCarryExtraFields)
{
	flint::Result<void> r = Logger::instance().sendStructured(
		Level::Info, "fetched user config from \"file\"",
		{ { "IGNITION_CONFIG_TYPE", "user" }, { "MESSAGE_ID", "57124006b5c94805b77ce473e92a8aeb" } });
	ASSERT_TRUE(r);
	ASSERT_EQ(lines().size(), 1u);
	EXPECT_EQ(lines()[0], "INFO     : fetched user config from \"file\" IGNITION_CONFIG_TYPE=user "
			      "MESSAGE_ID=57124006b5c94805b77ce473e92a8aeb");
}

TEST_F(LogTest, PopOnEmptyStackLogsDebug)
{
	Logger::instance().popPrefix();
	ASSERT_EQ(lines().size(), 1u);
	EXPECT_EQ(lines()[0], "DEBUG    : popped from empty stack");
}

} // namespace

TEST_F(LogTest, FirstFailedOperationIsTheInnermost)
{
	EXPECT_FALSE(Logger::instance().firstFailedOperation());
	flint::Result<void> r = flint::log::logOperation("outer", [] {
		(void)flint::log::logOperation("fine", []() -> flint::Result<void> { return {}; });
		return flint::log::logOperation("writing file \"/sysroot/etc/motd\"",
						[]() -> flint::Result<void> { return flint::unexpected("no space"); });
	});
	EXPECT_FALSE(r);
	EXPECT_EQ(Logger::instance().firstFailedOperation().value_or(""), "writing file \"/sysroot/etc/motd\"");
	Logger::instance().reset();
	EXPECT_FALSE(Logger::instance().firstFailedOperation());
}

// Batched stdout lines: nothing is written until the batch ends (or a
// WARNING comes), then everything in order.
TEST_F(LogTest, BatchedStdoutLinesKeepTheirOrder)
{
	std::fflush(stdout);
	char path[] = "/tmp/flint-log-test-XXXXXX";
	int fd = ::mkstemp(path);
	ASSERT_GE(fd, 0);
	::unlink(path);
	int saved = ::dup(STDOUT_FILENO);
	ASSERT_GE(saved, 0);
	ASSERT_EQ(::dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	auto written = [&]() {
		std::fflush(stdout);
		std::string text;
		char buf[4096];
		for (off_t off = 0;;) {
			ssize_t n = ::pread(fd, buf, sizeof(buf), off);
			if (n <= 0)
				break;
			text.append(buf, static_cast<std::size_t>(n));
			off += n;
		}
		return text;
	};

	Logger &l = Logger::instance();
	l.setSink(flint::log::Sink::Stdout);
	{
		flint::log::BatchScope batch;
		l.write(Level::Info, "one");
		l.write(Level::Debug, "two");
		EXPECT_EQ(written(), "");
		l.write(Level::Warning, "three");
		EXPECT_EQ(written(), "INFO     : one\nDEBUG    : two\nWARNING  : three\n");
		l.write(Level::Info, "four");
	}
	std::string all = written();
	l.setSink(flint::log::Sink::Capture);
	::dup2(saved, STDOUT_FILENO);
	::close(saved);
	::close(fd);
	EXPECT_EQ(all, "INFO     : one\nDEBUG    : two\nWARNING  : three\nINFO     : four\n");
}

// What another thread logs into a Recording is written when the recording
// is replayed: after what this thread logged meanwhile, under this
// thread's prefixes, with op numbers given out in replay order.
TEST_F(LogTest, RecordingReplaysAnotherThreadsLinesInOrder)
{
	flint::log::PrefixScope stage("files");
	flint::log::Recording recording;
	std::thread side([&]() {
		flint::log::RecordScope record(recording);
		flint::log::PrefixScope prefix("createFiles");
		flint::log::BatchScope batch; // ignored while recording
		(void)flint::log::logOperation("writing file \"/a\"", []() -> flint::Result<void> {
			LOG(LogTest, Info) << "file /a: created";
			return {};
		});
		(void)flint::log::logOperation("writing file \"/b\"",
					       []() -> flint::Result<void> { return flint::unexpected("no space"); });
	});
	side.join();
	EXPECT_TRUE(lines().empty());
	EXPECT_FALSE(Logger::instance().firstFailedOperation());
	EXPECT_FALSE(recording.empty());

	(void)flint::log::logOperation("adding group \"g\"", []() -> flint::Result<void> { return {}; });
	recording.replay();
	EXPECT_TRUE(recording.empty());
	LOG(LogTest, Info) << "after";

	const std::vector<std::string> want = {
		"INFO     : files: op(1): [started]  adding group \"g\"",
		"INFO     : files: op(1): [finished] adding group \"g\"",
		"INFO     : files: createFiles: op(2): [started]  writing file \"/a\"",
		"INFO     : files: createFiles: op(2): file /a: created",
		"INFO     : files: createFiles: op(2): [finished] writing file \"/a\"",
		"INFO     : files: createFiles: op(3): [started]  writing file \"/b\"",
		"CRITICAL : files: createFiles: op(3): [failed]   writing file \"/b\": no space",
		"INFO     : files: after",
	};
	EXPECT_EQ(lines(), want);
	EXPECT_EQ(Logger::instance().firstFailedOperation().value_or(""), "writing file \"/b\"");
}
