// s3://, arn: and gs:// sources as the HTTPS requests Flint makes for them.
#pragma once

#include <string>
#include <string_view>

#include "flint/base/result.h"

namespace flint::fetch {

// The HTTPS URL for an anonymous GET of an S3 object named by an s3:// URL
// (bucket = host, key = path, optional ?versionId=) or an S3 ARN (bucket or
// access point). `endpoint`, when not empty (a test hook such as
// "http://127.0.0.1:8080"), replaces AWS: the request goes to
// <endpoint>/<bucket>/<key> (path style).
Result<std::string> s3ObjectUrl(std::string_view url, std::string_view endpoint = {});

// The HTTPS URL for an anonymous GET of a Google Cloud Storage object named
// by gs://<bucket>/<object>: the JSON API's media download,
// https://storage.googleapis.com/storage/v1/b/<bucket>/o/<escaped object>?alt=media.
// `endpoint` replaces https://storage.googleapis.com when not empty.
Result<std::string> gcsObjectUrl(std::string_view url, std::string_view endpoint = {});

} // namespace flint::fetch
