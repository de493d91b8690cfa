// Go 1.19 net/url.Parse and url.ParseQuery, re-implemented so that Flint
// accepts, rejects and reports URLs exactly as Ignition does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flint/base/result.h"

namespace flint {

// The fields of Go's *url.URL after url.Parse. Path, user, password and
// fragment are unescaped; opaque and rawQuery are as written.
struct GoUrl {
	std::string scheme; // lowercased
	std::string opaque;
	std::string user; // the username (url.User.Username()); see hasUser
	std::string host; // host or host:port, unescaped; IPv6 keeps its brackets
	std::string path;
	std::string rawQuery;
	std::string fragment;
	bool forceQuery = false;

	bool hasUser = false;     // url.User != nil ("@" in the authority)
	std::string password;     // url.User.Password()
	bool hasPassword = false; // ... and whether it was set (":" in userinfo)
	std::string rawPath;      // u.RawPath: the path as written when it differs from escape(path)
	std::string rawFragment;  // u.RawFragment, likewise
	bool omitHost = false;    // u.OmitHost: "scheme:/path" without an authority
};

// url.Parse. Errors read as Go's *url.Error does:
// parse "http://a b": invalid character " " in host name
Result<GoUrl> parseGoUrl(std::string_view raw);

// url.ParseQuery: the key/value pairs in order. Pairs Go would reject (a
// ';' in the pair, a bad %-escape) are skipped, as u.Query() does.
std::vector<std::pair<std::string, std::string>> parseGoQuery(std::string_view rawQuery);

// url.Values.Get, but telling "absent" (nullopt) from "present and empty":
// the first value for key. For Ignition's s3 versionId check,
// u.Query()["versionId"] is present iff this is not nullopt, and its first
// value is empty iff *result is empty.
std::optional<std::string> queryGet(const std::vector<std::pair<std::string, std::string>> &query,
				    std::string_view key);

// url.QueryUnescape and url.PathUnescape; errors are the bare Go text, e.g.
// invalid URL escape "%zz"
Result<std::string> goQueryUnescape(std::string_view s);
Result<std::string> goPathUnescape(std::string_view s);

} // namespace flint
