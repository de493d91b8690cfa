// Unit tests for the HTTPS URLs of s3://, arn: and gs:// sources.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "flint/fetch/object_url.h"

namespace flint::fetch {
namespace {

// error empty: the call succeeds with `want`; else it fails with exactly
// `error`. The expected URLs follow what Ignition 2.14 has aws-sdk-go
// v1.30 and cloud.google.com/go/storage request (bucket and key as
// internal/resource/url.go takes them from the URL or ARN, rest.EscapePath,
// path.Clean of the request path, url.Values.Encode for versionId), minus
// the SDKs' region lookup and credentials (see object_url.cpp).
struct ObjectCase {
	std::string_view name;
	std::string_view url;
	std::string_view endpoint;
	std::string_view want;
	std::string_view error = "";
};

constexpr std::string_view kTestEndpoint = "http://127.0.0.1:8080";

const std::vector<ObjectCase> kS3Cases = {
	// s3://bucket/key
	{ "Simple", "s3://bucket/key", "", "https://bucket.s3.amazonaws.com/key" },
	{ "NestedKeyKeepsSlashes", "s3://my-bucket/dir/sub/config.ign", "",
	  "https://my-bucket.s3.amazonaws.com/dir/sub/config.ign" },
	{ "KeyUnescapedThenAwsEscaped", "s3://bucket/a%20b+c@d~e_f.g-h*(i)", "",
	  "https://bucket.s3.amazonaws.com/a%20b%2Bc%40d~e_f.g-h%2A%28i%29" },
	{ "EscapedSlashIsASlash", "s3://bucket/a%2Fb", "", "https://bucket.s3.amazonaws.com/a/b" },
	{ "NonAsciiKey", "s3://bucket/caf%C3%A9", "", "https://bucket.s3.amazonaws.com/caf%C3%A9" },
	{ "PathCleaned", "s3://bucket//a/./b/../c", "", "https://bucket.s3.amazonaws.com/a/c" },
	{ "TrailingSlashKept", "s3://bucket/dir/", "", "https://bucket.s3.amazonaws.com/dir/" },
	{ "VersionId", "s3://bucket/key?versionId=abc.123", "",
	  "https://bucket.s3.amazonaws.com/key?versionId=abc.123" },
	{ "VersionIdReescaped", "s3://bucket/key?versionId=a%2Fb+c~", "",
	  "https://bucket.s3.amazonaws.com/key?versionId=a%2Fb+c~" },
	{ "OtherQueryIgnored", "s3://bucket/key?foo=bar", "", "https://bucket.s3.amazonaws.com/key" },
	{ "DottedBucketPathStyle", "s3://my.bucket/key", "", "https://s3.amazonaws.com/my.bucket/key" },
	{ "UppercaseBucketPathStyle", "s3://MyBucket/key", "", "https://s3.amazonaws.com/MyBucket/key" },
	{ "UnderscoreBucketPathStyle", "s3://my_bucket/key", "", "https://s3.amazonaws.com/my_bucket/key" },
	{ "ShortBucketPathStyle", "s3://ab/key", "", "https://s3.amazonaws.com/ab/key" },
	{ "HyphenEdgeBucketPathStyle", "s3://bucket-/key", "", "https://s3.amazonaws.com/bucket-/key" },
	{ "Endpoint", "s3://bucket/a/b?versionId=v1", kTestEndpoint, "http://127.0.0.1:8080/bucket/a/b?versionId=v1" },
	{ "EndpointTrailingSlash", "s3://my.bucket/key", "http://127.0.0.1:8080/",
	  "http://127.0.0.1:8080/my.bucket/key" },

	// S3 bucket ARNs: no region, the partition picks the endpoint.
	{ "ArnBucket", "arn:aws:s3:::bucket/dir/key", "", "https://bucket.s3.amazonaws.com/dir/key" },
	{ "ArnBucketChina", "arn:aws-cn:s3:::bucket/key", "",
	  "https://bucket.s3.cn-north-1.amazonaws.com.cn/key" },
	{ "ArnBucketGovCloud", "arn:aws-us-gov:s3:::bucket/key", "",
	  "https://bucket.s3.us-gov-west-1.amazonaws.com/key" },
	{ "ArnBucketUnknownPartitionIsAws", "arn:aws-iso:s3:::bucket/key", "", "https://bucket.s3.amazonaws.com/key" },
	{ "ArnBucketWithRegionAndAccount", "arn:aws:s3:us-east-2:123456789012:bucket/key", "",
	  "https://bucket.s3.amazonaws.com/key" },
	{ "ArnBucketDottedPathStyle", "arn:aws-cn:s3:::my.bucket/key", "",
	  "https://s3.cn-north-1.amazonaws.com.cn/my.bucket/key" },
	{ "ArnKeyIsNotUnescaped", "arn:aws:s3:::bucket/a%20b", "", "https://bucket.s3.amazonaws.com/a%2520b" },
	{ "ArnVersionId", "arn:aws:s3:::bucket/key?versionId=v%201", "",
	  "https://bucket.s3.amazonaws.com/key?versionId=v+1" },
	{ "ArnEndpoint", "arn:aws:s3:::bucket/key", kTestEndpoint, "http://127.0.0.1:8080/bucket/key" },
	// Ignition only recognises "accesspoint/": this is a bucket ARN whose
	// bucket is the text after the last ':' before the first '/'.
	{ "ArnColonAccessPointIsABucketArn", "arn:aws:s3:us-west-2:123456789012:accesspoint:myap/object/key", "",
	  "https://myap.s3.amazonaws.com/object/key" },

	// Access point ARNs.
	{ "AccessPoint", "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap/object/dir/key", "",
	  "https://my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com/dir/key" },
	{ "AccessPointChina", "arn:aws-cn:s3:cn-northwest-1:123456789012:accesspoint/ap/object/k", "",
	  "https://ap-123456789012.s3-accesspoint.cn-northwest-1.amazonaws.com.cn/k" },
	{ "AccessPointVersionId", "arn:aws:s3:eu-west-1:123456789012:accesspoint/ap/object/k?versionId=x", "",
	  "https://ap-123456789012.s3-accesspoint.eu-west-1.amazonaws.com/k?versionId=x" },
	{ "AccessPointEndpoint", "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap/object/dir/key", kTestEndpoint,
	  "http://127.0.0.1:8080/my-ap-123456789012/dir/key" },

	// Errors.
	{ "UnparsableUrl", "s3://bucket/%zz", "", "", "parse \"s3://bucket/%zz\": invalid URL escape \"%zz\"" },
	{ "WrongScheme", "gs://bucket/key", "", "", "unsupported source scheme" },
	{ "EmptyVersionId", "s3://bucket/key?versionId=", "", "", "invalid S3 object VersionId" },
	{ "NoBucket", "s3:///key", "", "",
	  "InvalidParameter: 1 validation error(s) found. - minimum field size of 1, GetObjectInput.Bucket." },
	{ "NoKey", "s3://bucket", "", "",
	  "InvalidParameter: 1 validation error(s) found. - minimum field size of 1, GetObjectInput.Key." },
	{ "KeyNamesTheBucket", "s3://bucket/./", "", "", "S3 object key \"/./\" names no object" },
	{ "ArnTooFewSections", "arn:aws:s3::bucket/key", "", "", "invalid S3 ARN format" },
	{ "ArnNotS3", "arn:aws:iam::123456789012:user/name", "", "", "invalid S3 ARN format" },
	{ "ArnBucketWithoutKey", "arn:aws:s3:::bucket", "", "", "invalid S3 ARN format" },
	{ "ArnBucketEmptyKey", "arn:aws:s3:::bucket/", "", "",
	  "InvalidParameter: 1 validation error(s) found. - minimum field size of 1, GetObjectInput.Key." },
	{ "ArnNotOpaque", "arn:/aws:s3:::bucket/key", "", "", "invalid S3 ARN format" },
	{ "AccessPointWithoutObject", "arn:aws:s3:us-west-2:123456789012:accesspoint/ap", "", "",
	  "invalid S3 ARN format" },
	{ "AccessPointNotObject", "arn:aws:s3:us-west-2:123456789012:accesspoint/ap/objects/k", "", "",
	  "invalid S3 ARN format" },
	{ "AccessPointNoRegion", "arn:aws:s3::123456789012:accesspoint/ap/object/k", "", "",
	  "invalid S3 ARN format: region not set" },
	{ "AccessPointNoAccount", "arn:aws:s3:us-west-2::accesspoint/ap/object/k", "", "",
	  "invalid S3 ARN format: account-id not set" },
	{ "AccessPointEmptyName", "arn:aws:s3:us-west-2:123456789012:accesspoint//object/k", "", "",
	  "invalid S3 ARN format: resource-id not set" },
	{ "AccessPointPartitionMismatch", "arn:aws:s3:cn-north-1:123456789012:accesspoint/ap/object/k", "", "",
	  "invalid S3 ARN format: client partition does not match provided ARN partition" },
	{ "AccessPointUnknownPartition", "arn:aws-iso:s3:us-iso-east-1:123456789012:accesspoint/ap/object/k", "", "",
	  "invalid S3 ARN format: unknown partition \"aws-iso\"" },
	{ "AccessPointNameNotAHostLabel", "arn:aws:s3:us-west-2:123456789012:accesspoint/my_ap/object/k", "", "",
	  "invalid S3 ARN format: access point name and account ID do not form a host name" },
};

const std::vector<ObjectCase> kGcsCases = {
	{ "Simple", "gs://bucket/config.ign", "",
	  "https://storage.googleapis.com/storage/v1/b/bucket/o/config.ign?alt=media" },
	{ "SlashesEscaped", "gs://bucket/path/to/obj", "",
	  "https://storage.googleapis.com/storage/v1/b/bucket/o/path%2Fto%2Fobj?alt=media" },
	{ "LeadingSlashesTrimmed", "gs://bucket///obj", "",
	  "https://storage.googleapis.com/storage/v1/b/bucket/o/obj?alt=media" },
	{ "InnerSlashesKept", "gs://bucket/a//b/", "",
	  "https://storage.googleapis.com/storage/v1/b/bucket/o/a%2F%2Fb%2F?alt=media" },
	{ "PathEscape", "gs://bucket/a%20b+c:d@e$f&g=h;i,j%3Fk~l", "",
	  "https://storage.googleapis.com/storage/v1/b/bucket/o/a%20b+c:d@e$f&g=h%3Bi%2Cj%3Fk~l?alt=media" },
	{ "NonAscii", "gs://bucket/caf%C3%A9", "",
	  "https://storage.googleapis.com/storage/v1/b/bucket/o/caf%C3%A9?alt=media" },
	{ "QueryIgnored", "gs://bucket/obj?generation=1", "",
	  "https://storage.googleapis.com/storage/v1/b/bucket/o/obj?alt=media" },
	{ "Endpoint", "gs://bucket/dir/obj", "http://127.0.0.1:4443",
	  "http://127.0.0.1:4443/storage/v1/b/bucket/o/dir%2Fobj?alt=media" },
	{ "EndpointTrailingSlash", "gs://bucket/obj", "http://127.0.0.1:4443/",
	  "http://127.0.0.1:4443/storage/v1/b/bucket/o/obj?alt=media" },
	{ "UnparsableUrl", "gs://bucket/%zz", "", "", "parse \"gs://bucket/%zz\": invalid URL escape \"%zz\"" },
	{ "WrongScheme", "s3://bucket/obj", "", "", "unsupported source scheme" },
	{ "NoBucket", "gs:///obj", "", "",
	  "error while reading content from (\"gs:///obj\"): storage: bucket name is empty" },
	{ "NoObject", "gs://bucket", "", "",
	  "error while reading content from (\"gs://bucket\"): storage: object name is empty" },
	{ "OnlySlashes", "gs://bucket//", "", "",
	  "error while reading content from (\"gs://bucket//\"): storage: object name is empty" },
	{ "InvalidUtf8", "gs://bucket/%ff", "", "",
	  "error while reading content from (\"gs://bucket/%ff\"): storage: object name \"\\xff\" is not valid UTF-8" },
};

void check(const ObjectCase &c, const Result<std::string> &got)
{
	if (c.error.empty()) {
		ASSERT_TRUE(got.has_value()) << got.error().message();
		EXPECT_EQ(*got, c.want);
	} else {
		ASSERT_FALSE(got.has_value()) << *got;
		EXPECT_EQ(got.error().message(), c.error);
	}
}

TEST(ObjectUrl, S3)
{
	for (const auto &c : kS3Cases) {
		SCOPED_TRACE(std::string(c.name) + ": " + std::string(c.url));
		check(c, s3ObjectUrl(c.url, c.endpoint));
	}
}

TEST(ObjectUrl, Gcs)
{
	for (const auto &c : kGcsCases) {
		SCOPED_TRACE(std::string(c.name) + ": " + std::string(c.url));
		check(c, gcsObjectUrl(c.url, c.endpoint));
	}
}

} // namespace
} // namespace flint::fetch
