// The renderer: replace and merge children, settings, the state, cycles and depth.
//
// Child configs are served from memory by a ConfigFetcher written here: the
// renderer's logic does not depend on transport, and the real fetcher is
// tested against real servers in tests/fetch/ and tests/blackbox/.
#include <gtest/gtest.h>

#include <map>

#include "engine/render.h"

using namespace flint;
using namespace flint::engine;

namespace {

class MapFetcher final : public ConfigFetcher
{
public:
	std::map<std::string, std::string> docs;
	std::vector<std::string> fetched;
	std::vector<std::int64_t> totals;

	Result<std::string> fetch(const config::Resource &res) override
	{
		fetched.push_back(*res.source);
		auto it = docs.find(*res.source);
		if (it == docs.end())
			return unexpected(std::string("resource not found"));
		return it->second;
	}
	Result<void> updateSettings(const config::Config &cfg) override
	{
		totals.push_back(cfg.ignition.timeouts.httpTotal.value_or(-1));
		return {};
	}
};

config::Config parsed(const std::string &json)
{
	auto r = config::parse(json);
	EXPECT_TRUE(r.config) << r.report.toString();
	return r.config.value_or(config::emptyConfig());
}

std::string withMerge(const std::vector<std::string> &urls, const std::string &rest = "")
{
	std::string m;
	for (const auto &u : urls)
		m += (m.empty() ? "" : ",") + std::string("{\"source\":\"") + u + "\"}";
	return R"({"ignition":{"version":"3.3.0","config":{"merge":[)" + m + "]}}" + (rest.empty() ? "" : "," + rest) +
	       "}";
}

std::vector<std::string> filePaths(const config::Config &c)
{
	std::vector<std::string> out;
	for (const auto &f : c.storage.files)
		out.push_back(f.path);
	return out;
}

TEST(Render, MergesChildrenInOrderAfterTheParent)
{
	MapFetcher f;
	f.docs["http://h/a"] = R"({"ignition":{"version":"3.0.0"},"storage":{"files":[{"path":"/a"},{"path":"/p","mode":384}]}})";
	f.docs["http://h/b"] = withMerge({ "http://h/c" }, R"("storage":{"files":[{"path":"/b"}]})");
	f.docs["http://h/c"] = R"({"ignition":{"version":"3.6.0"},"storage":{"files":[{"path":"/c"}]}})";
	State state;
	auto r = renderConfig(parsed(withMerge({ "http://h/a", "http://h/b" }, R"("storage":{"files":[{"path":"/p"}]})")),
			      "file", f, state);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(filePaths(*r), (std::vector<std::string>{ "/p", "/a", "/b", "/c" }));
	EXPECT_EQ(*r->storage.files[0].mode, 0600); // the child's field wins, at the parent's position
	EXPECT_EQ(f.fetched, (std::vector<std::string>{ "http://h/a", "http://h/b", "http://h/c" }));
	ASSERT_EQ(state.fetchedConfigs().size(), 3u);
	EXPECT_TRUE(state.fetchedConfigs()[0].referenced);
	EXPECT_EQ(state.fetchedConfigs()[0].kind, "user");
}

TEST(Render, ReplaceDiscardsTheParent)
{
	MapFetcher f;
	f.docs["http://h/r"] = R"({"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"/r"}]}})";
	State state;
	auto r = renderConfig(parsed(R"({"ignition":{"version":"3.3.0","config":{"replace":{"source":"http://h/r"},"merge":[{"source":"http://h/never"}]}},"storage":{"files":[{"path":"/parent"}]}})"),
			      "file", f, state);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(filePaths(*r), (std::vector<std::string>{ "/r" }));
	EXPECT_EQ(f.fetched, (std::vector<std::string>{ "http://h/r" }));
}

TEST(Render, ChildSettingsApplyToItsOwnChildren)
{
	// The parent's timeout is in force while the child is fetched; the
	// child's (merged over the parent's) while the grandchild is.
	MapFetcher f;
	f.docs["http://h/child"] =
		R"({"ignition":{"version":"3.3.0","timeouts":{"httpTotal":7},"config":{"merge":[{"source":"http://h/grandchild"}]}}})";
	f.docs["http://h/grandchild"] = R"({"ignition":{"version":"3.3.0"}})";
	State state;
	auto r = renderConfig(parsed(R"({"ignition":{"version":"3.3.0","timeouts":{"httpTotal":3},"config":{"merge":[{"source":"http://h/child"}]}}})"),
			      "file", f, state);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(f.totals, (std::vector<std::int64_t>{ 3, 7, 7 }));
}

TEST(Render, CycleIsAnErrorNamingTheChain)
{
	MapFetcher f;
	f.docs["http://h/a"] = withMerge({ "http://h/b" });
	f.docs["http://h/b"] = withMerge({ "http://h/a?token=secret" });
	f.docs["http://h/a?token=secret"] = withMerge({ "http://h/b" });
	State state;
	auto r = renderConfig(parsed(withMerge({ "http://h/a" })), "cmdline", f, state);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(),
		  "config reference cycle: cmdline -> http://h/a -> http://h/b -> http://h/a?redacted -> http://h/b");
	EXPECT_EQ(r.error().message().find("secret"), std::string::npos);
}

TEST(Render, SelfReferenceThroughReplace)
{
	MapFetcher f;
	f.docs["http://h/self"] = R"({"ignition":{"version":"3.3.0","config":{"replace":{"source":"http://h/self"}}}})";
	State state;
	auto r = renderConfig(parsed(R"({"ignition":{"version":"3.3.0","config":{"replace":{"source":"http://h/self"}}}})"),
			      "file", f, state);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "config reference cycle: file -> http://h/self -> http://h/self");
}

TEST(Render, DepthLimit)
{
	MapFetcher f;
	for (int i = 0; i < 20; i++)
		f.docs["http://h/" + std::to_string(i)] = withMerge({ "http://h/" + std::to_string(i + 1) });
	f.docs["http://h/10"] = R"({"ignition":{"version":"3.3.0"}})";
	State state;
	EXPECT_TRUE(renderConfig(parsed(withMerge({ "http://h/1" })), "file", f, state));

	f.docs["http://h/10"] = withMerge({ "http://h/11" });
	auto r = renderConfig(parsed(withMerge({ "http://h/1" })), "file", f, state);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("nested deeper than 10 levels: file -> http://h/1 -> "), std::string::npos)
		<< r.error().message();
}

TEST(Render, ChildErrorsNameTheChild)
{
	MapFetcher f;
	f.docs["http://h/bad"] = R"({"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"rel"}]}})";
	State state;
	auto missing = renderConfig(parsed(withMerge({ "http://u:pw@h/missing" })), "file", f, state);
	ASSERT_FALSE(missing);
	EXPECT_EQ(missing.error().message(), "fetching config http://redacted@h/missing: resource not found");
	auto bad = renderConfig(parsed(withMerge({ "http://h/bad" })), "file", f, state);
	ASSERT_FALSE(bad);
	EXPECT_EQ(bad.error().message(), "config http://h/bad: config is not valid");
}

TEST(Render, RedactUrl)
{
	EXPECT_EQ(redactUrl("https://h/p"), "https://h/p");
	EXPECT_EQ(redactUrl("https://user:pw@h:8443/p?sig=abc#f"), "https://redacted@h:8443/p?redacted");
	EXPECT_EQ(redactUrl("data:,secret"), "data URL");
	EXPECT_EQ(redactUrl("s3://bucket/key?versionId=1"), "s3://bucket/key?redacted");
}

} // namespace
