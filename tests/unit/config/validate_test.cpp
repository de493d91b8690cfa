// Every message of the validation catalog: severity, JSON path and line:col.
#include <gtest/gtest.h>

#include <string>

#include "flint/config/config.h"

using namespace flint::config;

namespace {

struct Case {
	const char *name;
	std::string config;
	Severity severity;
	std::string path; // "$.a.b" or "" for none
	std::string message;
	// The entry must point at the first byte of the first occurrence of
	// `needle` after `after` (plus `adjust`: 1 for objects and arrays,
	// which Ignition reports one byte past the bracket).
	std::string needle;
	std::string after = {};
	int adjust = 0;
};

// Line and column of a byte offset, counted independently of the engine.
std::pair<long, long> lineCol(const std::string &s, std::size_t offset)
{
	long line = 1, col = 1;
	for (std::size_t i = 0; i < offset; i++) {
		col++;
		if (s[i] == '\n') {
			line++;
			col = 1;
		}
	}
	return { line, col };
}

std::string v(const char *version, const std::string &rest)
{
	return std::string("{\"ignition\": {\"version\": \"") + version + "\"}" + (rest.empty() ? "" : ",\n") + rest + "}";
}

class Catalog : public ::testing::TestWithParam<Case>
{
};

TEST_P(Catalog, ReportsPathPositionAndSeverity)
{
	const Case &c = GetParam();
	auto res = parse(c.config);
	const Entry *found = nullptr;
	for (const auto &e : res.report.entries())
		if (e.message == c.message && (c.path.empty() ? e.path.empty() : pathString(e.path) == c.path))
			found = &e;
	ASSERT_NE(found, nullptr) << "no entry \"" << c.message << "\" at " << c.path << "; report:\n"
				  << res.report.toString();
	EXPECT_EQ(found->severity, c.severity);
	if (c.severity == Severity::Error) {
		EXPECT_TRUE(res.error.has_value());
	}
	std::size_t start = c.config.find(c.after);
	ASSERT_NE(start, std::string::npos);
	std::size_t at = c.config.find(c.needle, start);
	ASSERT_NE(at, std::string::npos) << c.needle;
	auto [line, col] = lineCol(c.config, at + c.adjust);
	EXPECT_TRUE(found->hasMarker);
	EXPECT_EQ(found->line, line) << found->toString();
	EXPECT_EQ(found->col, col) << found->toString();
}

const Severity E = Severity::Error;
const Severity W = Severity::Warning;

const Case kCases[] = {
	// Paths.
	{ "PathNotAbsolute", v("3.3.0", R"("storage": {"files": [{"path": "etc/x"}]})"), E, "$.storage.files.0.path",
	  "path not absolute", "\"etc/x\"" },
	{ "PathNotSimplified", v("3.3.0", R"("storage": {"directories": [{"path": "/etc/../x"}]})"), E,
	  "$.storage.directories.0.path", "path is not fully simplified", "\"/etc/../x\"" },
	{ "PathNotSpecified", v("3.3.0", "\"storage\": {\"files\": [\n  {\"mode\": 420}\n]}"), E,
	  "$.storage.files.0.path", "path not specified", "{\"mode\"", {}, 1 },
	{ "LinkTargetRequired", v("3.3.0", R"("storage": {"links": [{"path": "/a"}]})"), E,
	  "$.storage.links.0.target", "link target is required", "{\"path\": \"/a\"}", {}, 1 },
	{ "FileUsesLink", v("3.3.0", R"("storage": {"links": [{"path": "/a", "target": "/b"}], "files": [{"path": "/a/f"}]})"),
	  E, "$.storage.files.0", "file path includes link in config", "{\"path\": \"/a/f\"}", {}, 1 },
	{ "DirUsesLink", v("3.3.0", R"("storage": {"links": [{"path": "/a", "target": "/b"}], "directories": [{"path": "/a/d"}]})"),
	  E, "$.storage.directories.0", "directory path includes link in config", "{\"path\": \"/a/d\"}", {}, 1 },
	{ "LinkUsesLink", v("3.3.0", R"("storage": {"links": [{"path": "/a", "target": "/b"}, {"path": "/a/l", "target": "/c"}]})"),
	  E, "$.storage.links.1", "link path includes link in config", "{\"path\": \"/a/l\"", {}, 1 },
	{ "HardLinkToDir", v("3.3.0", R"("storage": {"directories": [{"path": "/d"}], "links": [{"path": "/l", "target": "/d", "hard": true}]})"),
	  E, "$.storage.links.0", "hard link target is a directory", "{\"path\": \"/l\"", {}, 1 },
	// Files.
	{ "OverwriteNoSource", v("3.3.0", R"("storage": {"files": [{"path": "/f", "overwrite": true}]})"), E,
	  "$.storage.files.0.overwrite", "overwrite must be false if source is unspecified", "true" },
	{ "VerificationNoSource", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"verification": {"hash": "sha512-00"}}}]})"),
	  E, "$.storage.files.0.contents.verification.hash", "source must be specified if verification is specified",
	  "\"sha512-00\"" },
	{ "IllegalMode", v("3.3.0", R"("storage": {"files": [{"path": "/f", "mode": 99999}]})"), E,
	  "$.storage.files.0.mode", "illegal file mode", "99999" },
	{ "SpecialBitsWarn", v("3.3.0", R"("storage": {"files": [{"path": "/f", "mode": 2541}]})"), W,
	  "$.storage.files.0.mode",
	  "setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0", "2541" },
	{ "BothIdAndName", v("3.3.0", R"("storage": {"files": [{"path": "/f", "user": {"id": 1, "name": "core"}}]})"), E,
	  "$.storage.files.0.user", "cannot set both id and name", "{\"id\"", {}, 1 },
	{ "BadCompression", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "data:,x", "compression": "xz"}}]})"),
	  E, "$.storage.files.0.contents.compression", "invalid compression method", "\"xz\"" },
	{ "BadScheme", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "file:///etc/x"}}]})"), E,
	  "$.storage.files.0.contents.source", "invalid url scheme", "\"file:" },
	{ "UnparsableUrl", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "http://[::1"}}]})"), E,
	  "$.storage.files.0.contents.source", "unable to parse url", "\"http://[" },
	{ "MalformedHash", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "data:,x", "verification": {"hash": "abc"}}}]})"),
	  E, "$.storage.files.0.contents.verification.hash", "malformed hash specifier", "\"abc\"" },
	{ "UnknownHash", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "data:,x", "verification": {"hash": "md5-00"}}}]})"),
	  E, "$.storage.files.0.contents.verification.hash", "unrecognized hash function", "\"md5-00\"" },
	{ "HashSize", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "data:,x", "verification": {"hash": "sha256-00"}}}]})"),
	  E, "$.storage.files.0.contents.verification.hash", "incorrect size for hash sum", "\"sha256-00\"" },
	{ "Sha256Before31", v("3.0.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "data:,x", "verification": {"hash": "sha256-00"}}}]})"),
	  E, "$.storage.files.0.contents.verification.hash", "unrecognized hash function", "\"sha256-00\"" },
	{ "HeaderNameEmpty", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "http://x/", "httpHeaders": [{"name": "", "value": "v"}]}}]})"),
	  E, "$.storage.files.0.contents.httpHeaders.0.name", "HTTP header name can't be empty", "\"\"" },
	{ "HeaderValueEmpty", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "http://x/", "httpHeaders": [{"name": "A", "value": ""}]}}]})"),
	  E, "$.storage.files.0.contents.httpHeaders.0.value", "unable to parse HTTP header", "\"\"", "\"value\"" },
	{ "HeadersWrongScheme", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "tftp://x/y", "httpHeaders": [{"name": "A", "value": "b"}]}}]})"),
	  E, "$.storage.files.0.contents.httpHeaders", "cannot use HTTP headers with this source scheme", "[{", "httpHeaders", 1 },
	{ "S3VersionId", v("3.3.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "s3://b/k?versionId="}}]})"),
	  E, "$.storage.files.0.contents.source", "invalid S3 object VersionId", "\"s3:" },
	{ "ConflictsWithUnit", v("3.6.0", R"("storage": {"files": [{"path": "/etc/systemd/system/a.service", "contents": {"source": "data:,x"}}]}, "systemd": {"units": [{"name": "a.service", "contents": "[Unit]"}]})"),
	  E, "$.storage.files.0.path", "path conflicts with systemd unit or dropin", "\"/etc/systemd" },
	// Duplicates.
	{ "DuplicateAcrossNodes", v("3.3.0", R"("storage": {"files": [{"path": "/x"}], "links": [{"path": "/x", "target": "/y"}]})"),
	  E, "$.storage.links.0", "duplicate entry defined", "{\"path\": \"/x\", \"target\"", {}, 1 },
	{ "DuplicateUnit", v("3.3.0", R"("systemd": {"units": [{"name": "a.service"}, {"name": "a.service", "mask": true}]})"),
	  E, "$.systemd.units.1", "duplicate entry defined", "{\"name\": \"a.service\", \"mask\"", {}, 1 },
	{ "DuplicateKarg", v("3.3.0", R"("kernelArguments": {"shouldExist": ["a"], "shouldNotExist": ["a"]})"), E,
	  "$.kernelArguments.shouldNotExist.0", "duplicate entry defined", "\"a\"", "shouldNotExist" },
	// Disks and partitions.
	{ "DiskDeviceRequired", v("3.3.0", R"("storage": {"disks": [{"wipeTable": true}]})"), E,
	  "$.storage.disks.0.device", "disk device is required", "{\"wipeTable\"", {}, 1 },
	{ "NumbersCollide", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"number": 1}, {"number": 1, "label": "b"}]}]})"),
	  E, "$.storage.disks.0.partitions.1", "partition numbers collide", "{\"number\": 1, \"label\"", {}, 1 },
	{ "Overlap", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"number": 1, "startMiB": 1, "sizeMiB": 10}, {"number": 2, "startMiB": 5, "sizeMiB": 10}]}]})"),
	  E, "$.storage.disks.0.partitions.1", "partitions overlap", "{\"number\": 2", {}, 1 },
	{ "NeedLabelOrNumber", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"sizeMiB": 10}]}]})"),
	  E, "$.storage.disks.0.partitions.0", "a partition number >= 1 or a label must be specified", "{\"sizeMiB\"", {}, 1 },
	{ "LabelTooLong", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"label": "0123456789012345678901234567890123456"}]}]})"),
	  E, "$.storage.disks.0.partitions.0.label", "partition labels may not exceed 36 characters", "\"0123" },
	{ "LabelColon", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"label": "a:b"}]}]})"), E,
	  "$.storage.disks.0.partitions.0.label", "partition label will be truncated to text before the colon", "\"a:b\"" },
	{ "BadGuid", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"number": 1, "typeGuid": "xyz"}]}]})"),
	  E, "$.storage.disks.0.partitions.0.typeGuid", "doesn't match the form \"01234567-89AB-CDEF-EDCB-A98765432101\"",
	  "\"xyz\"" },
	{ "ShouldExistFalseWithOthers", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"number": 1, "shouldExist": false, "sizeMiB": 0}]}]})"),
	  E, "$.storage.disks.0.partitions.0", "shouldExist specified false with other options also specified",
	  "{\"number\": 1", {}, 1 },
	{ "DuplicateLabels", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/vda", "partitions": [{"number": 1, "label": "a"}, {"number": 2, "label": "a"}]}]})"),
	  E, "$.storage.disks.0.partitions.1", "cannot use the same partition label twice", "{\"number\": 2", {}, 1 },
	// RAID.
	{ "RaidLevelRequired", v("3.3.0", R"("storage": {"raid": [{"name": "md", "devices": ["/dev/a"]}]})"), E,
	  "$.storage.raid.0.level", "raid level is required", "{\"name\"", {}, 1 },
	{ "RaidLevelUnknown", v("3.3.0", R"("storage": {"raid": [{"name": "md", "level": "raid7", "devices": ["/dev/a"]}]})"),
	  E, "$.storage.raid.0.level", "unrecognized raid level", "\"raid7\"" },
	{ "RaidSpares", v("3.3.0", R"("storage": {"raid": [{"name": "md", "level": "raid0", "spares": 1, "devices": ["/dev/a"]}]})"),
	  E, "$.storage.raid.0.level", "spares unsupported for linear and raid0 arrays", "\"raid0\"" },
	{ "RaidDevicesRequired", v("3.3.0", R"("storage": {"raid": [{"name": "md", "level": "raid1"}]})"), E,
	  "$.storage.raid.0.devices", "raid devices required", "{\"name\"", {}, 1 },
	{ "RaidDevicePath", v("3.3.0", R"("storage": {"raid": [{"name": "md", "level": "raid1", "devices": ["dev/a"]}]})"),
	  E, "$.storage.raid.0.devices.0", "path not absolute", "\"dev/a\"" },
	// Filesystems.
	{ "InvalidFormat", v("3.3.0", R"("storage": {"filesystems": [{"device": "/dev/a", "format": "zfs"}]})"), E,
	  "$.storage.filesystems.0.format", "invalid filesystem format", "\"zfs\"" },
	{ "NoneBefore33", v("3.2.0", R"("storage": {"filesystems": [{"device": "/dev/a", "format": "none"}]})"), E,
	  "$.storage.filesystems.0.format", "invalid filesystem format", "\"none\"" },
	{ "FormatEmptyWithOthers", v("3.3.0", R"("storage": {"filesystems": [{"device": "/dev/a", "path": "/var"}]})"), E,
	  "$.storage.filesystems.0.format",
	  "format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified",
	  "{\"device\"", {}, 1 },
	{ "Ext4LabelTooLong", v("3.3.0", R"("storage": {"filesystems": [{"device": "/dev/a", "format": "ext4", "label": "0123456789abcdefg"}]})"),
	  E, "$.storage.filesystems.0.label", "filesystem labels cannot be longer than 16 characters when using ext4",
	  "\"0123" },
	{ "XfsLabelTooLong", v("3.3.0", R"("storage": {"filesystems": [{"device": "/dev/a", "format": "xfs", "label": "0123456789abc"}]})"),
	  E, "$.storage.filesystems.0.label", "filesystem labels cannot be longer than 12 characters when using xfs",
	  "\"0123" },
	{ "VfatLabelTooLong", v("3.3.0", R"("storage": {"filesystems": [{"device": "/dev/a", "format": "vfat", "label": "0123456789ab"}]})"),
	  E, "$.storage.filesystems.0.label", "filesystem labels cannot be longer than 11 characters when using vfat",
	  "\"0123" },
	{ "SwapLabelTooLong", v("3.3.0", R"("storage": {"filesystems": [{"device": "/dev/a", "format": "swap", "label": "0123456789abcdef"}]})"),
	  E, "$.storage.filesystems.0.label", "filesystem labels cannot be longer than 15 characters when using swap",
	  "\"0123" },
	{ "OverwritesPartitioned", v("3.6.0", R"("storage": {"disks": [{"device": "/dev/a", "partitions": [{"number": 1}]}], "filesystems": [{"device": "/dev/a", "format": "ext4"}]})"),
	  W, "$.storage.filesystems.0.device", "filesystem overwrites partitioned device", "\"/dev/a\"", "filesystems" },
	{ "FormatForLabel", v("3.3.0", R"("storage": {"filesystems": [{"device": "/dev/a", "label": "x"}]})"),
	  E, "$.storage.filesystems.0.label", "filesystem must specify format if label is specified", "\"x\"" },
	{ "VirtiofsTag", v("3.7.0-experimental", R"("storage": {"filesystems": [{"device": "0123456789012345678901234567890123456", "format": "virtiofs"}]})"),
	  E, "$.storage.filesystems.0.device", "virtiofs device tag cannot be longer than 36 bytes", "\"0123" },
	{ "VirtiofsUuid", v("3.7.0-experimental", R"("storage": {"filesystems": [{"device": "tag", "format": "virtiofs", "uuid": "u"}]})"),
	  E, "$.storage.filesystems.0.uuid", "filesystem uuid cannot be set for non-block-device filesystems", "\"u\"" },
	{ "VirtiofsWipe", v("3.7.0-experimental", R"("storage": {"filesystems": [{"device": "tag", "format": "virtiofs", "wipeFilesystem": true}]})"),
	  E, "$.storage.filesystems.0.wipeFilesystem", "wipeFilesystem cannot be set for non-block-device filesystems", "true" },
	{ "VirtiofsOptions", v("3.7.0-experimental", R"("storage": {"filesystems": [{"device": "tag", "format": "virtiofs", "options": ["-f"]}]})"),
	  E, "$.storage.filesystems.0.options", "filesystem options (mkfs) cannot be set for non-block-device filesystems", "[\"-f\"", {}, 1 },
	{ "ImplicitWipe", v("3.5.0", R"("storage": {"disks": [{"device": "/dev/a", "wipeTable": true}], "filesystems": [{"device": "/dev/a", "format": "ext4"}]})"),
	  W, "$.storage.filesystems.0.device", "device matches disk with wipeTable enabled; filesystem will be wiped", "\"/dev/a\"", "filesystems" },
	{ "ZeroesWithShouldNotExist", v("3.3.0", R"("storage": {"disks": [{"device": "/dev/a", "partitions": [{"number": 1, "shouldExist": false}, {"label": "b"}]}]})"),
	  E, "$.storage.disks.0.partitions", "shouldExist is false for a partition and other partition(s) has start or size 0", "[{", "partitions", 1 },
	{ "HardLinkOwner", v("3.5.0", R"("storage": {"links": [{"path": "/l", "target": "/t", "hard": true, "user": {"id": 1}}]})"),
	  W, "$.storage.links.0.user", "user/group ignored for hard link", "{\"id\"", {}, 1 },
	{ "S3Arn", v("3.4.0", R"("storage": {"files": [{"path": "/f", "contents": {"source": "arn:aws:s3:::"}}]})"),
	  E, "$.storage.files.0.contents.source", "invalid S3 ARN format", "\"arn:" },
	{ "InvalidUnitContent", v("3.3.0", R"("systemd": {"units": [{"name": "a.service", "contents": "[Unit"}]})"),
	  E, "$.systemd.units.0.contents", "invalid unit content: unable to find end of section", "\"[Unit\"" },
	{ "VirtiofsLabel", v("3.7.0-experimental", R"("storage": {"filesystems": [{"device": "tag", "format": "virtiofs", "label": "x"}]})"),
	  E, "$.storage.filesystems.0.label", "filesystem labels cannot be set when using virtiofs", "\"x\"" },
	// LUKS.
	{ "LuksSlash", v("3.3.0", R"("storage": {"luks": [{"name": "a/b", "device": "/dev/a"}]})"), E,
	  "$.storage.luks.0.name", "device names cannot contain slashes", "\"a/b\"" },
	{ "LuksDevice", v("3.3.0", R"("storage": {"luks": [{"name": "a"}]})"), E, "$.storage.luks.0.device",
	  "disk device is required", "{\"name\"", {}, 1 },
	{ "LuksLabel", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "label": "012345678901234567890123456789012345678901234567"}]})"),
	  E, "$.storage.luks.0.label", "luks device labels cannot be longer than 47 characters", "\"0123" },
	{ "LuksKeyFile", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "keyFile": {"source": "ftp://x"}}]})"),
	  E, "$.storage.luks.0.keys", "invalid key-file source", "{\"name\"", {}, 1 },
	{ "ClevisPinRequired", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "clevis": {"custom": {"config": "{}"}}}]})"),
	  E, "$.storage.luks.0.clevis.custom.pin", "missing required custom clevis pin", "{\"config\"", {}, 1 },
	{ "ClevisPinUnknown", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "clevis": {"custom": {"pin": "yubi", "config": "{}"}}}]})"),
	  E, "$.storage.luks.0.clevis.custom.pin", "unsupported clevis pin", "\"yubi\"" },
	{ "ClevisConfigRequired", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "clevis": {"custom": {"pin": "tpm2"}}}]})"),
	  E, "$.storage.luks.0.clevis.custom.config", "missing required custom clevis config", "{\"pin\"", {}, 1 },
	{ "ClevisCustomWithOthers", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "clevis": {"tpm2": true, "custom": {"pin": "tpm2", "config": "{}"}}}]})"),
	  E, "$.storage.luks.0.clevis", "cannot use custom clevis config with tpm2, tang, or threshold", "{\"tpm2\"", {}, 1 },
	{ "TangThumbprint", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "clevis": {"tang": [{"url": "http://t"}]}}]})"),
	  E, "$.storage.luks.0.clevis.tang.0.thumbprint", "thumbprint is required", "{\"url\"", {}, 1 },
	{ "TangScheme", v("3.3.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "clevis": {"tang": [{"url": "ftp://t", "thumbprint": "x"}]}}]})"),
	  E, "$.storage.luks.0.clevis.tang.0.url", "invalid url scheme", "\"ftp://t\"" },
	{ "TangAdvertisement", v("3.4.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "clevis": {"tang": [{"url": "http://t", "thumbprint": "x", "advertisement": "{"}]}}]})"),
	  E, "$.storage.luks.0.clevis.tang.0.advertisement", "advertisement is not valid JSON", "\"{\"" },
	{ "CexWithKeyFile", v("3.5.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "cex": {"enabled": true}, "keyFile": {"source": "data:,k"}}]})"),
	  E, "$.storage.luks.0.cex", "cannot use key file with cex", "{\"enabled\"", {}, 1 },
	{ "CexWithClevis", v("3.5.0", R"("storage": {"luks": [{"name": "a", "device": "/dev/a", "cex": {"enabled": true}, "clevis": {"tpm2": true}}]})"),
	  E, "$.storage.luks.0.cex", "cannot use cex with clevis", "{\"enabled\"", {}, 1 },
	// Ignition section.
	{ "MergeSourceRequired", R"({"ignition": {"version": "3.3.0", "config": {"merge": [{"verification": {}}]}}})",
	  E, "$.ignition.config.merge.0", "source is required", "{\"verification\"", {}, 1 },
	{ "CaSourceRequired", R"({"ignition": {"version": "3.3.0", "security": {"tls": {"certificateAuthorities": [{}]}}}})", E,
	  "$.ignition.security.tls.certificateAuthorities.0", "source is required", "[{}", {}, 2 },
	{ "ProxyScheme", R"({"ignition": {"version": "3.3.0", "proxy": {"httpProxy": "socks5://p"}}})", E,
	  "$.ignition.proxy.httpProxy", "proxies must be http(s)", "\"socks5" },
	{ "InsecureProxy", R"({"ignition": {"version": "3.3.0", "proxy": {"httpsProxy": "http://p"}}})", W,
	  "$.ignition.proxy.httpsProxy", "insecure plaintext HTTP proxy specified for HTTPS resources", "\"http://p\"" },
	// Systemd.
	{ "UnitExtension", v("3.3.0", R"("systemd": {"units": [{"name": "a.conf"}]})"), E, "$.systemd.units.0.name",
	  "invalid systemd unit extension", "\"a.conf\"" },
	{ "DropinExtension", v("3.3.0", R"("systemd": {"units": [{"name": "a.service", "dropins": [{"name": "x.txt"}]}]})"),
	  E, "$.systemd.units.0.dropins.0.name", "invalid systemd drop-in extension", "\"x.txt\"" },
	{ "NoInstallSection", v("3.3.0", R"("systemd": {"units": [{"name": "a.service", "enabled": true, "contents": "[Unit]\nA=b"}]})"),
	  W, "$.systemd.units.0.contents", "unit \"a.service\" is enabled, but has no install section so enable does nothing",
	  "\"[Unit]" },
	// JSON and typing.
	{ "UnusedKey", "{\"ignition\": {\"version\": \"3.3.0\"},\n \"storage\": {\"fils\": []}}", W, "$.storage.fils",
	  "unused key fils", "\"fils\"" },
	{ "NewFieldInOldSpec", R"({"ignition": {"version": "3.0.0"}, "kernelArguments": {}})", W, "$.kernelArguments",
	  "unused key kernelArguments", "\"kernelArguments\"" },
	{ "CaseVariantKeyUsedAndWarned", R"({"Ignition": {"version": "3.3.0"}})", W, "$.Ignition", "unused key Ignition",
	  "\"Ignition\"" },
	{ "TypeError", "{\"ignition\": {\"version\": \"3.3.0\"},\n \"storage\": {\"files\": [{\"path\": \"/f\", \"mode\": \"420\"}]}}",
	  E, "", "json: cannot unmarshal string into Go struct field File.storage.files.mode of type int", "}", "\"420\"" },
	{ "NonIntegral", R"({"ignition": {"version": "3.3.0"}, "storage": {"files": [{"path": "/f", "mode": 420.5}]}})", E, "",
	  "json: cannot unmarshal number 420.5 into Go struct field File.storage.files.mode of type int", "}", "420.5" },
	{ "SyntaxError", "{\"ignition\": {\"version\": \"3.3.0\"}\n \"x\": 1}", E, "",
	  "invalid character '\"' after object key:value pair", "x", "\n" },
};

INSTANTIATE_TEST_SUITE_P(Validation, Catalog, ::testing::ValuesIn(kCases),
			 [](const ::testing::TestParamInfo<Case> &i) { return std::string(i.param.name); });

TEST(Validation, EveryProblemInOnePass)
{
	auto res = parse(R"({"ignition": {"version": "3.3.0"}, "storage": {"files": [{"path": "a"}, {"path": "/b/../c"}],
		"filesystems": [{"device": "x", "format": "zfs"}]}, "systemd": {"units": [{"name": "u"}]}})");
	ASSERT_TRUE(res.error);
	int errors = 0;
	for (const auto &e : res.report.entries())
		errors += e.severity == Severity::Error;
	EXPECT_EQ(errors, 5) << res.report.toString();
}

TEST(Validation, EndOfInputHasLineZero)
{
	auto res = parse("{\"ignition\": ");
	ASSERT_EQ(res.report.entries().size(), 1u);
	EXPECT_EQ(res.report.entries()[0].toString(), "error at line 0 col 0: unexpected end of JSON input");
}

TEST(Validation, MergedConfigSkipsDuplicates)
{
	Config cfg = emptyConfig();
	File f;
	f.path = "/x";
	cfg.storage.files = { f, f };
	EXPECT_FALSE(validate(cfg).isFatal());
	cfg.storage.files[1].path = "x";
	auto r = validate(cfg);
	ASSERT_TRUE(r.isFatal());
	EXPECT_EQ(r.entries()[0].toString(), "error at $.storage.files.1.path: path not absolute");
}

// A large files list is checked in two halves at once; the report must be
// the single pass's: entries in index order, every one there, positions too.
TEST(Validation, ManyFilesReportInOrder)
{
	std::string text = R"({"ignition": {"version": "3.3.0"}, "storage": {"files": [)";
	const std::size_t n = 3001;
	for (std::size_t i = 0; i < n; i++) {
		if (i)
			text += ",\n";
		if (i == 5 || i == 1499 || i == 1500 || i == 3000)
			text += R"({"path": "/f)" + std::to_string(i) + R"(", "contents": {"source": "data:,%zz"}})";
		else if (i == 2222)
			text += R"({"path": "rel", "mode": 32768})";
		else
			text += R"({"path": "/f)" + std::to_string(i) + R"(", "contents": {"source": "data:,ok"}})";
	}
	text += "]}}";
	auto res = parse(text);
	ASSERT_TRUE(res.error);
	std::vector<std::string> got;
	for (const auto &e : res.report.entries())
		got.push_back(e.toString());
	auto at = [](std::size_t i, const char *rest) {
		return "error at $.storage.files." + std::to_string(i) + rest + ", line " + std::to_string(i + 1);
	};
	ASSERT_EQ(got.size(), 6u) << res.report.toString();
	const char *bad = ".contents.source";
	EXPECT_EQ(got[0].substr(0, at(5, bad).size()), at(5, bad));
	EXPECT_EQ(got[1].substr(0, at(1499, bad).size()), at(1499, bad));
	EXPECT_EQ(got[2].substr(0, at(1500, bad).size()), at(1500, bad));
	EXPECT_NE(got[3].find("$.storage.files.2222.path"), std::string::npos) << got[3];
	EXPECT_NE(got[4].find("$.storage.files.2222.mode"), std::string::npos) << got[4];
	EXPECT_EQ(got[5].substr(0, at(3000, bad).size()), at(3000, bad));
	EXPECT_NE(got[0].find("rfc2396: invalid char 0x25 in unescape sequence"), std::string::npos) << got[0];
}

} // namespace
