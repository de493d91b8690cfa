// RFC 2397 data URLs decoded exactly as github.com/vincent-petithory/dataurl's
// DecodeString (the version Ignition 2.14 vendors) decodes them.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "flint/base/result.h"

namespace flint {

// A decoded data URL. Without a media type it is text/plain with
// charset=US-ASCII; an explicit type drops the default charset, and an
// empty subtype ("data:text/,x") leaves "plain" in place, as the library does.
struct DataUrl {
	std::string mediaType; // "type/subtype"
	std::map<std::string, std::string> params;
	std::string data; // the decoded bytes
	bool base64 = false;
};

// dataurl.DecodeString. Errors are the library's texts verbatim (Ignition
// reports them as they are), e.g. "missing comma before data",
// "illegal base64 data at input byte 4",
// "rfc2396: unexpected end of unescape sequence", "invalid syntax".
// Linear in the size of the URL; suitable for multi-megabyte payloads.
Result<DataUrl> decodeDataUrl(std::string_view url);

// decodeDataUrl without keeping the data: the same URLs pass, the same
// errors fail, and nothing the size of the payload is allocated (config
// validation checks every inline file this way).
Result<void> checkDataUrl(std::string_view url);

} // namespace flint
