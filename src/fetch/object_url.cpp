// s3://, arn: and gs:// sources turned into the plain HTTPS GETs Ignition's SDK clients make for them.
//
// Why plain HTTPS and no SDKs: Ignition fetches these objects through the
// AWS and Google Cloud SDKs, which first look for instance credentials (EC2
// role, GCE service account) and otherwise fall back to anonymous access.
// Flint supports only the metal, file and qemu platforms, where there is no
// instance metadata service, so the fallback is all that can ever happen:
// an unsigned GET of a public object. That is an ordinary HTTPS request and
// goes through the same fetcher (TLS, proxy, retries, timeouts) as https://
// sources. Not done: SigV4 signing, and the SDK's region lookup
// (GetBucketRegion): a virtual-hosted bucket name reaches its region through
// DNS, while path-style requests go to the partition's default region.

#include "flint/fetch/object_url.h"

#include <cstddef>
#include <optional>
#include <vector>

#include "flint/base/go.h"
#include "flint/base/url.h"

namespace flint::fetch {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

// Ignition's catalog (config/shared/errors) and internal/resource texts.
constexpr char kErrInvalidS3Arn[] = "invalid S3 ARN format";
constexpr char kErrInvalidS3ObjectVersionId[] = "invalid S3 object VersionId";
constexpr char kErrSchemeUnsupported[] = "unsupported source scheme";
// aws-sdk-go's request validation, up to the field name.
constexpr char kErrMinFieldSize[] = "InvalidParameter: 1 validation error(s) found. - minimum field size of 1, ";

bool isUnreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void appendPercent(std::string &out, unsigned char c)
{
	out += '%';
	out += kUpperHex[c >> 4];
	out += kUpperHex[c & 15];
}

// aws-sdk-go's rest.EscapePath: everything but RFC 3986 unreserved
// characters (and '/' unless encodeSep) is %XX-escaped.
std::string awsEscapePath(std::string_view s, bool encodeSep)
{
	std::string out;
	for (char ch : s) {
		const auto c = static_cast<unsigned char>(ch);
		if (isUnreserved(c) || (c == '/' && !encodeSep))
			out += ch;
		else
			appendPercent(out, c);
	}
	return out;
}

// Go's url.QueryEscape, as url.Values.Encode writes the versionId.
std::string goQueryEscape(std::string_view s)
{
	std::string out;
	for (char ch : s) {
		const auto c = static_cast<unsigned char>(ch);
		if (isUnreserved(c))
			out += ch;
		else if (c == ' ')
			out += '+';
		else
			appendPercent(out, c);
	}
	return out;
}

// Go's url.PathEscape: a path segment, so '/' is escaped too.
std::string goPathEscape(std::string_view s)
{
	std::string out;
	for (char ch : s) {
		const auto c = static_cast<unsigned char>(ch);
		switch (c) {
		case '$': case '&': case '+': case ':': case '=': case '@':
			out += ch;
			continue;
		default:
			break;
		}
		if (isUnreserved(c))
			out += ch;
		else
			appendPercent(out, c);
	}
	return out;
}

std::vector<std::string_view> split(std::string_view s, char sep)
{
	std::vector<std::string_view> parts;
	std::size_t start = 0;
	while (true) {
		const std::size_t end = s.find(sep, start);
		if (end == std::string_view::npos) {
			parts.push_back(s.substr(start));
			return parts;
		}
		parts.push_back(s.substr(start, end - start));
		start = end + 1;
	}
}

std::string join(const std::vector<std::string_view> &parts, std::size_t from, char sep)
{
	std::string out;
	for (std::size_t i = from; i < parts.size(); i++) {
		if (i > from)
			out += sep;
		out += parts[i];
	}
	return out;
}

std::string_view trimTrailingSlashes(std::string_view s)
{
	while (!s.empty() && s.back() == '/')
		s.remove_suffix(1);
	return s;
}

// Where an S3 object lives, before it becomes a URL.
struct S3Object {
	std::string bucket;          // a bucket name; empty for an access point
	std::string accessPointHost; // "<name>-<account>" for an access point
	std::string region;          // the access point's region
	std::string partition;       // the ARN's partition; "aws" for s3://
	std::string key;             // as the SDK gets it, maybe with a leading '/'
};

// The DNS suffix and bucket-lookup endpoint of the partitions Ignition
// knows (awsPartitionRegionHints). Ignition sends an unknown partition's
// buckets to us-east-1, that is to aws.
struct Partition {
	std::string_view name;
	std::string_view dnsSuffix;
	std::string_view bucketEndpoint;
};

constexpr Partition kPartitions[] = {
	{ "aws", "amazonaws.com", "s3.amazonaws.com" },
	{ "aws-cn", "amazonaws.com.cn", "s3.cn-north-1.amazonaws.com.cn" },
	{ "aws-us-gov", "amazonaws.com", "s3.us-gov-west-1.amazonaws.com" },
};

const Partition *findPartition(std::string_view name)
{
	for (const Partition &p : kPartitions) {
		if (p.name == name)
			return &p;
	}
	return nullptr;
}

// The partition the SDK's endpoint resolver puts a region in.
std::string_view regionPartition(std::string_view region)
{
	if (region.starts_with("cn-"))
		return "aws-cn";
	if (region.starts_with("us-gov-"))
		return "aws-us-gov";
	return "aws";
}

// A DNS label as protocol.ValidateEndpointHost accepts it.
bool validHostLabel(std::string_view label)
{
	if (label.empty() || label.size() > 63)
		return false;
	for (char c : label) {
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

Unexpected invalidArn(std::string_view reason = {})
{
	if (reason.empty())
		return unexpected(kErrInvalidS3Arn);
	return unexpected(std::string(kErrInvalidS3Arn) + ": " + std::string(reason));
}

// Ignition's parseARN, followed by the checks aws-sdk-go makes of an access
// point ARN before it builds the host name (those report the SDK's reason
// after Ignition's text).
Result<S3Object> parseArn(std::string_view arn)
{
	// arn.IsARN, then arn.Parse (which cannot fail after IsARN).
	std::size_t colons = 0;
	for (char c : arn)
		colons += c == ':';
	if (!arn.starts_with("arn:") || colons < 5)
		return invalidArn();
	std::vector<std::string_view> sections;
	std::size_t start = 0;
	for (int i = 0; i < 5; i++) {
		const std::size_t end = arn.find(':', start);
		sections.push_back(arn.substr(start, end - start));
		start = end + 1;
	}
	sections.push_back(arn.substr(start));
	const std::string_view partition = sections[1];
	const std::string_view service = sections[2];
	const std::string_view region = sections[3];
	const std::string_view account = sections[4];
	const std::string_view resource = sections[5];
	if (service != "s3")
		return invalidArn();

	const std::vector<std::string_view> urlSplit = split(arn, '/');
	S3Object obj;
	obj.partition = partition;

	if (resource.starts_with("accesspoint/")) {
		// arn:...:accesspoint/<name>/object/<key>
		if (urlSplit.size() < 4 || urlSplit[2] != "object")
			return invalidArn();
		obj.key = join(urlSplit, 3, '/');

		// What the SDK makes of the access point ARN urlSplit[0]/urlSplit[1].
		const std::string_view name = urlSplit[1];
		if (region.empty())
			return invalidArn("region not set");
		if (account.empty())
			return invalidArn("account-id not set");
		if (name.find(':') != std::string_view::npos)
			return invalidArn("sub resource not supported");
		if (go::trimSpace(name).empty())
			return invalidArn("resource-id not set");
		const Partition *p = findPartition(partition);
		if (!p)
			return invalidArn("unknown partition \"" + std::string(partition) + "\"");
		if (regionPartition(region) != partition)
			return invalidArn("client partition does not match provided ARN partition");
		obj.accessPointHost = std::string(name) + "-" + std::string(account);
		if (!validHostLabel(obj.accessPointHost))
			return invalidArn("access point name and account ID do not form a host name");
		for (std::string_view label : split(region, '.')) {
			if (!validHostLabel(label))
				return invalidArn("region does not form a host name");
		}
		obj.region = region;
		return obj;
	}

	// arn:...:<bucket>/<key>
	if (urlSplit.size() < 2)
		return invalidArn();
	const std::vector<std::string_view> bucketSplit = split(urlSplit[0], ':');
	obj.bucket = bucketSplit.back();
	obj.key = join(urlSplit, 1, '/');
	return obj;
}

// The SDK's dnsCompatibleBucketName plus hostCompatibleBucketName for
// https: ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$, not an IPv4-like dotted quad,
// no "..", and no '.' at all since the wildcard certificate
// *.s3.amazonaws.com covers one label only.
bool virtualHostable(std::string_view bucket)
{
	auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
	if (bucket.size() < 3 || bucket.size() > 63)
		return false;
	if (!lowerOrDigit(bucket.front()) || !lowerOrDigit(bucket.back()))
		return false;
	for (char c : bucket) {
		if (!lowerOrDigit(c) && c != '-')
			return false; // '.' included: see above
	}
	return true;
}

} // namespace

Result<std::string> s3ObjectUrl(std::string_view url, std::string_view endpoint)
{
	Result<GoUrl> u = parseGoUrl(url);
	if (!u)
		return unexpected(u.error());

	S3Object obj;
	if (u->scheme == "s3") {
		obj.bucket = u->host;
		obj.key = u->path;
		obj.partition = "aws";
	} else if (u->scheme == "arn") {
		// The query (versionId) is not part of the ARN.
		Result<S3Object> parsed = parseArn("arn:" + u->opaque);
		if (!parsed)
			return unexpected(parsed.error());
		obj = std::move(*parsed);
	} else {
		return unexpected(kErrSchemeUnsupported);
	}

	// Ignition's validation rejects a present but empty versionId.
	const std::optional<std::string> versionId = queryGet(parseGoQuery(u->rawQuery), "versionId");
	if (versionId && versionId->empty())
		return unexpected(kErrInvalidS3ObjectVersionId);

	// GetObjectInput's own validation, its two lines joined.
	if (obj.accessPointHost.empty() && obj.bucket.empty())
		return unexpected(std::string(kErrMinFieldSize) + "GetObjectInput.Bucket.");
	if (obj.key.empty())
		return unexpected(std::string(kErrMinFieldSize) + "GetObjectInput.Key.");

	// The SDK builds the path "/{Key+}" and cleans it as path.Clean does,
	// keeping a trailing slash: "s3://b/a//b/../c" fetches the key "a/c".
	// (In path style the bucket is part of what is cleaned, so a key that
	// climbs above the root with ".." differs; such a key names nothing.)
	const bool trailingSlash = obj.key.back() == '/';
	std::string cleaned = go::pathClean("/" + obj.key);
	if (trailingSlash && !cleaned.ends_with('/'))
		cleaned += '/';
	const std::string_view key = std::string_view(cleaned).substr(1);
	if (key.empty()) {
		// The SDK would GET the bucket itself, i.e. list it.
		return unexpected("S3 object key " + go::quote(obj.key) + " names no object");
	}

	std::string query;
	if (versionId)
		query = "?versionId=" + goQueryEscape(*versionId);

	const std::string escapedKey = awsEscapePath(key, false);
	if (!endpoint.empty()) {
		const std::string bucket = obj.accessPointHost.empty() ? awsEscapePath(obj.bucket, true)
								       : obj.accessPointHost;
		return std::string(trimTrailingSlashes(endpoint)) + "/" + bucket + "/" + escapedKey + query;
	}

	const Partition *partition = findPartition(obj.partition);
	if (!partition)
		partition = &kPartitions[0];

	if (!obj.accessPointHost.empty()) {
		return "https://" + obj.accessPointHost + ".s3-accesspoint." + obj.region + "." +
		       std::string(partition->dnsSuffix) + "/" + escapedKey + query;
	}
	if (virtualHostable(obj.bucket)) {
		return "https://" + obj.bucket + "." + std::string(partition->bucketEndpoint) + "/" + escapedKey +
		       query;
	}
	return "https://" + std::string(partition->bucketEndpoint) + "/" + awsEscapePath(obj.bucket, true) + "/" +
	       escapedKey + query;
}

Result<std::string> gcsObjectUrl(std::string_view url, std::string_view endpoint)
{
	Result<GoUrl> u = parseGoUrl(url);
	if (!u)
		return unexpected(u.error());
	if (u->scheme != "gs")
		return unexpected(kErrSchemeUnsupported);

	// Ignition: Bucket(u.Host).Object(strings.TrimLeft(u.Path, "/")), and
	// the storage client's ObjectHandle.validate.
	std::string_view object = u->path;
	while (!object.empty() && object.front() == '/')
		object.remove_prefix(1);
	std::optional<std::string> problem;
	if (u->host.empty())
		problem = "storage: bucket name is empty";
	else if (object.empty())
		problem = "storage: object name is empty";
	else if (!go::validUtf8(object))
		problem = "storage: object name " + go::quote(object) + " is not valid UTF-8";
	if (problem)
		return unexpected("error while reading content from (" + go::quote(url) + "): " + *problem);

	const std::string_view base = endpoint.empty() ? std::string_view("https://storage.googleapis.com")
						       : trimTrailingSlashes(endpoint);
	return std::string(base) + "/storage/v1/b/" + goPathEscape(u->host) + "/o/" + goPathEscape(object) +
	       "?alt=media";
}

} // namespace flint::fetch
