// The state file: Go's json.Marshal of internal/state.State, round trips, nil vs empty, unknown members, errors.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/state.h"

using namespace flint;
using namespace flint::engine;

namespace {

// A scratch directory removed with everything in it.
class TempDir final
{
public:
	TempDir()
	{
		char tmpl[] = "/tmp/flint-state-test.XXXXXX";
		path_ = mkdtemp(tmpl);
	}
	~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
	const std::string &path() const { return path_; }

private:
	std::string path_;
};

std::string slurp(const std::string &path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// Loads `json` from a file and returns the state (or fails the test).
State loaded(const TempDir &dir, const std::string &json)
{
	const std::string path = dir.path() + "/state";
	std::ofstream(path) << json;
	Result<State> s = State::load(path);
	EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message());
	return s ? std::move(*s) : State();
}

std::string loadError(const TempDir &dir, const std::string &json)
{
	const std::string path = dir.path() + "/state";
	std::ofstream(path) << json;
	Result<State> s = State::load(path);
	return s ? std::string("(loaded)") : s.error().message();
}

constexpr const char *kEmpty = R"({"fetchedConfigs":null,"luksPersistKeyFiles":null,"notatedDirectories":null})";

TEST(State, MissingFileIsEmpty)
{
	TempDir dir;
	Result<State> s = State::load(dir.path() + "/none");
	ASSERT_TRUE(s);
	EXPECT_EQ(s->toJson(), kEmpty);
	EXPECT_FALSE(s->luksPersistKeyFiles());
	EXPECT_FALSE(s->notatedDirectories());
}

// Each document is Go's json.Marshal output for some State; Flint writes it
// back unchanged.
TEST(State, RoundTripsGoOutput)
{
	TempDir dir;
	const char *docs[] = {
		kEmpty,
		R"({"fetchedConfigs":[{"kind":"base","source":"system","referenced":false},)"
		R"({"kind":"user","source":"file","referenced":true}],"luksPersistKeyFiles":null,"notatedDirectories":null})",
		R"({"fetchedConfigs":null,"luksPersistKeyFiles":{"a":"data:;base64,YQ==","b":"data:,b"},)"
		R"("notatedDirectories":["/var","/var/lib","/var/lib/data"]})",
		// Go keeps an empty non-nil map or slice as {} / []. (Not
		// fetchedConfigs: every stage adds the base config to it.)
		R"({"fetchedConfigs":null,"luksPersistKeyFiles":{},"notatedDirectories":[]})",
		// Go escapes <, > and & in strings.
		R"({"fetchedConfigs":null,"luksPersistKeyFiles":{"x\u003cy":"data:,\u0026"},"notatedDirectories":["/a\u003eb"]})",
	};
	for (const char *doc : docs) {
		State s = loaded(dir, doc);
		EXPECT_EQ(s.toJson(), doc);
	}
}

TEST(State, MapKeysSortedAsGoMarshals)
{
	TempDir dir;
	State s = loaded(dir, R"({"luksPersistKeyFiles":{"zeta":"3","alpha":"1","Mid":"2"}})");
	EXPECT_EQ(s.toJson(),
		  R"({"fetchedConfigs":null,"luksPersistKeyFiles":{"Mid":"2","alpha":"1","zeta":"3"},"notatedDirectories":null})");
}

TEST(State, TypedMembersAndEdits)
{
	TempDir dir;
	State s = loaded(dir, R"({"luksPersistKeyFiles":{"root":"data:,k"},"notatedDirectories":["/home/core"]})");
	ASSERT_TRUE(s.luksPersistKeyFiles());
	EXPECT_EQ(s.luksPersistKeyFiles()->at("root"), "data:,k");
	ASSERT_TRUE(s.notatedDirectories());
	EXPECT_EQ(*s.notatedDirectories(), std::vector<std::string>{ "/home/core" });

	// The files stage drops the keys (Go: nil map); the mount stage appends.
	s.luksPersistKeyFiles().reset();
	s.notatedDirectories()->push_back("/home/core/data");
	EXPECT_EQ(s.toJson(),
		  R"({"fetchedConfigs":null,"luksPersistKeyFiles":null,"notatedDirectories":["/home/core","/home/core/data"]})");
}

// Members Flint does not know (a newer Ignition's) are kept, after the known
// ones, in document order.
TEST(State, UnknownMembersKept)
{
	TempDir dir;
	State s = loaded(dir, R"({"future":{"n":[1,true,null]},"notatedDirectories":["/x"],"later":"s"})");
	EXPECT_EQ(s.toJson(),
		  R"({"fetchedConfigs":null,"luksPersistKeyFiles":null,"notatedDirectories":["/x"],)"
		  R"("future":{"n":[1,true,null]},"later":"s"})");
}

// encoding/json matches field names case-insensitively; a repeated map
// member is decoded into the same map (merged); a repeated slice replaces.
TEST(State, GoDecodingQuirks)
{
	TempDir dir;
	State s = loaded(dir, R"({"LuksPersistKeyFiles":{"a":"1"},"luksPersistKeyFiles":{"b":"2"},)"
			      R"("notatedDirectories":["/old"],"NOTATEDDIRECTORIES":["/new"]})");
	EXPECT_EQ(s.toJson(),
		  R"({"fetchedConfigs":null,"luksPersistKeyFiles":{"a":"1","b":"2"},"notatedDirectories":["/new"]})");
	// null after a value resets to nil.
	State t = loaded(dir, R"({"notatedDirectories":["/a"],"notatedDirectories":null})");
	EXPECT_FALSE(t.notatedDirectories());
	// A null string element decodes as "".
	State u = loaded(dir, R"({"notatedDirectories":[null,"/b"],"luksPersistKeyFiles":{"k":null}})");
	EXPECT_EQ(u.toJson(), R"({"fetchedConfigs":null,"luksPersistKeyFiles":{"k":""},"notatedDirectories":["","/b"]})");
}

TEST(State, TypeErrorsAsGo)
{
	TempDir dir;
	struct Case {
		const char *doc;
		const char *want;
	} cases[] = {
		{ R"({"luksPersistKeyFiles":"x"})",
		  "parsing state file: json: cannot unmarshal string into Go struct field State.luksPersistKeyFiles of "
		  "type map[string]string" },
		{ R"({"luksPersistKeyFiles":{"a":1}})",
		  "parsing state file: json: cannot unmarshal number into Go struct field State.luksPersistKeyFiles of "
		  "type string" },
		{ R"({"notatedDirectories":{}})",
		  "parsing state file: json: cannot unmarshal object into Go struct field State.notatedDirectories of "
		  "type []string" },
		{ R"({"notatedDirectories":[true]})",
		  "parsing state file: json: cannot unmarshal bool into Go struct field State.notatedDirectories of "
		  "type string" },
	};
	for (const Case &c : cases)
		EXPECT_EQ(loadError(dir, c.doc), c.want) << c.doc;
}

TEST(State, SaveAsIgnition)
{
	TempDir dir;
	const std::string path = dir.path() + "/run/ignition/state";
	State s = loaded(dir, R"({"notatedDirectories":["/var"]})");
	ASSERT_TRUE(s.save(path));
	EXPECT_EQ(slurp(path),
		  std::string(R"({"fetchedConfigs":null,"luksPersistKeyFiles":null,"notatedDirectories":["/var"]})") +
			  "\n");
	struct stat st;
	ASSERT_EQ(stat(path.c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0600u);
	ASSERT_EQ(stat((dir.path() + "/run/ignition").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0700u);
	Result<State> back = State::load(path);
	ASSERT_TRUE(back);
	EXPECT_EQ(back->toJson(), s.toJson());
}

} // namespace
