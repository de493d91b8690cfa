// Unit tests for config::toJson (the /run/ignition.json format) and for
// detectForeignFormat. Expected strings marked "Ignition 2.14" were written
// by the Debian ignition 2.14.0 binary (`-stage fetch-offline` cache, or the
// "Full config:" dump of a failed stage) for the same config at spec 3.3.0.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "config/detect.h"
#include "flint/config/config.h"
#include "flint/config/version.h"

namespace flint::config {
namespace {

std::string replaceAll(std::string s, std::string_view from, std::string_view to)
{
	for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
		s.replace(pos, from.size(), to);
	return s;
}

TEST(Serialize, EmptyConfig)
{
	// Struct values are never omitted by Go's omitempty.
	EXPECT_EQ(toJson(emptyConfig()),
		  R"({"ignition":{"config":{"replace":{"verification":{}}},"proxy":{},"security":{"tls":{}},)"
		  R"("timeouts":{},"version":"3.7.0-experimental"},"kernelArguments":{},"passwd":{},"storage":{},"systemd":{}})");
	// Plain fields without omitempty are written even when empty.
	EXPECT_EQ(toJson(Config{}),
		  R"({"ignition":{"config":{"replace":{"verification":{}}},"proxy":{},"security":{"tls":{}},)"
		  R"("timeouts":{},"version":""},"kernelArguments":{},"passwd":{},"storage":{},"systemd":{}})");
}

TEST(Serialize, EmptyConfigMatchesIgnition214)
{
	// Ignition 2.14, for {"ignition":{"version":"3.3.0"}}.
	Config cfg;
	cfg.ignition.version = "3.4.0-experimental";
	EXPECT_EQ(toJson(cfg),
		  R"({"ignition":{"config":{"replace":{"verification":{}}},"proxy":{},"security":{"tls":{}},"timeouts":{},"version":"3.4.0-experimental"},"kernelArguments":{},"passwd":{},"storage":{},"systemd":{}})");
}

// Every field of spec 3.3.0, with pointers to false/0/"" and characters Go
// escapes (<, >, &, U+2028, control characters).
Config fullConfig()
{
	Config c;
	c.ignition.version = "3.4.0-experimental";
	c.ignition.timeouts.httpResponseHeaders = 5;
	c.ignition.timeouts.httpTotal = 0;
	c.ignition.proxy.httpProxy = "http://proxy.example.com:3128";
	c.ignition.proxy.httpsProxy = "https://proxy.example.com:3129";
	c.ignition.proxy.noProxy = { "example.org", ".local" };
	c.kernelArguments.shouldExist = { "quiet", "console=ttyS0" };
	c.kernelArguments.shouldNotExist = { "rhgb" };

	PasswdUser u;
	u.name = "core";
	u.passwordHash = "$6$x";
	u.sshAuthorizedKeys = { "ssh-ed25519 AAAA a<b>&c" };
	u.uid = 1001;
	u.gecos = "Core User";
	u.homeDir = "/home/core";
	u.noCreateHome = false;
	u.primaryGroup = "core";
	u.groups = { "wheel", "sudo" };
	u.noUserGroup = false;
	u.noLogInit = true;
	u.shell = "/bin/bash";
	u.system = false;
	u.shouldExist = true;
	c.passwd.users = { u };
	c.passwd.groups = { PasswdGroup{ 0, "g1", "", false, true } };

	Partition root;
	root.label = "root";
	root.number = 1;
	root.sizeMiB = 0;
	root.startMiB = 2048;
	root.typeGuid = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
	root.guid = "11111111-2222-3333-4444-555555555555";
	root.wipePartitionEntry = false;
	root.shouldExist = true;
	root.resize = true;
	Partition data;
	data.label = "data";
	c.storage.disks = { Disk{ "/dev/vdb", { root, data }, true } };
	c.storage.raid = { Raid{ { "/dev/vdc", "/dev/vdd" }, "raid1", "md0", { "--verbose", "--verbose" }, 0 } };
	Filesystem fs;
	fs.device = "/dev/vdb1";
	fs.format = "ext4";
	fs.path = "/var";
	fs.wipeFilesystem = true;
	fs.label = "var";
	fs.uuid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
	fs.options = { "-E", "lazy_itable_init=0" };
	fs.mountOptions = { "noatime" };
	c.storage.filesystems = { fs };

	File host;
	host.path = "/etc/hostname";
	host.overwrite = true;
	host.mode = 420;
	host.user.id = 0;
	host.group.name = "root";
	host.contents.source = "https://example.com/host<name>";
	host.contents.compression = "";
	host.contents.verification.hash = "sha512-" + std::string(128, '0');
	host.contents.httpHeaders = { { "X-A", "1" }, { "X-B", {} } };
	Resource appended;
	appended.source = "https://example.com/a?x=1&y=<2>";
	host.append = { appended };
	File empty;
	empty.path = "/etc/empty";
	c.storage.files = { host, empty };
	Directory dir;
	dir.path = "/var/d";
	dir.mode = 493;
	dir.overwrite = false;
	dir.user.name = "core";
	c.storage.directories = { dir };
	Link link;
	link.path = "/etc/l";
	link.target = "/etc/hostname";
	link.hard = false;
	c.storage.links = { link };

	Luks luks0;
	luks0.name = "luks0";
	luks0.device = "/dev/vde";
	luks0.keyFile.source = "data:,key";
	luks0.label = "lbl";
	luks0.uuid = "u";
	luks0.options = { "--iter-time", "1" };
	luks0.wipeVolume = true;
	luks0.clevis.tpm2 = true;
	luks0.clevis.threshold = 2;
	luks0.clevis.tang = { Tang{ {}, "tp", "http://tang.example.com" } };
	Luks luks1;
	luks1.name = "luks1";
	luks1.device = "/dev/vdf";
	luks1.clevis.custom = ClevisCustom{ "{}", false, "tpm2" };
	c.storage.luks = { luks0, luks1 };

	c.systemd.units = {
		Unit{ "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n",
		      { Dropin{ "[Service]\nEnvironment=A=\xe2\x80\xa8\xc3\xa9\x01", "x.conf" } }, true, false,
		      "a.service" },
		Unit{ {}, {}, {}, true, "b.service" },
	};
	return c;
}

// Ignition 2.14's cache for fullConfig() at spec 3.3.0.
constexpr std::string_view kFullConfigIgnition214 =
	R"({"ignition":{"config":{"replace":{"verification":{}}},"proxy":{"httpProxy":"http://proxy.example.com:3128","httpsProxy":"https://proxy.example.com:3129","noProxy":["example.org",".local"]},"security":{"tls":{}},"timeouts":{"httpResponseHeaders":5,"httpTotal":0},"version":"3.4.0-experimental"},"kernelArguments":{"shouldExist":["quiet","console=ttyS0"],"shouldNotExist":["rhgb"]},"passwd":{"groups":[{"gid":0,"name":"g1","passwordHash":"","shouldExist":false,"system":true}],"users":[{"gecos":"Core User","groups":["wheel","sudo"],"homeDir":"/home/core","name":"core","noCreateHome":false,"noLogInit":true,"noUserGroup":false,"passwordHash":"$6$x","primaryGroup":"core","sshAuthorizedKeys":["ssh-ed25519 AAAA a\u003cb\u003e\u0026c"],"shell":"/bin/bash","shouldExist":true,"system":false,"uid":1001}]},"storage":{"directories":[{"group":{},"overwrite":false,"path":"/var/d","user":{"name":"core"},"mode":493}],"disks":[{"device":"/dev/vdb","partitions":[{"guid":"11111111-2222-3333-4444-555555555555","label":"root","number":1,"resize":true,"shouldExist":true,"sizeMiB":0,"startMiB":2048,"typeGuid":"0FC63DAF-8483-4772-8E79-3D69D8477DE4","wipePartitionEntry":false},{"label":"data"}],"wipeTable":true}],"files":[{"group":{"name":"root"},"overwrite":true,"path":"/etc/hostname","user":{"id":0},"append":[{"source":"https://example.com/a?x=1\u0026y=\u003c2\u003e","verification":{}}],"contents":{"compression":"","httpHeaders":[{"name":"X-A","value":"1"},{"name":"X-B"}],"source":"https://example.com/host\u003cname\u003e","verification":{"hash":"sha512-00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"}},"mode":420},{"group":{},"path":"/etc/empty","user":{},"contents":{"verification":{}}}],"filesystems":[{"device":"/dev/vdb1","format":"ext4","label":"var","mountOptions":["noatime"],"options":["-E","lazy_itable_init=0"],"path":"/var","uuid":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","wipeFilesystem":true}],"links":[{"group":{},"path":"/etc/l","user":{},"hard":false,"target":"/etc/hostname"}],"luks":[{"clevis":{"custom":{},"tang":[{"thumbprint":"tp","url":"http://tang.example.com"}],"threshold":2,"tpm2":true},"device":"/dev/vde","keyFile":{"source":"data:,key","verification":{}},"label":"lbl","name":"luks0","options":["--iter-time","1"],"uuid":"u","wipeVolume":true},{"clevis":{"custom":{"config":"{}","needsNetwork":false,"pin":"tpm2"}},"device":"/dev/vdf","keyFile":{"verification":{}},"name":"luks1"}],"raid":[{"devices":["/dev/vdc","/dev/vdd"],"level":"raid1","name":"md0","options":["--verbose","--verbose"],"spares":0}]},"systemd":{"units":[{"contents":"[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n","dropins":[{"contents":"[Service]\nEnvironment=A=\u2028)"
	"\xc3\xa9"
	R"(\u0001","name":"x.conf"}],"enabled":true,"mask":false,"name":"a.service"},{"mask":true,"name":"b.service"}]}})";

TEST(Serialize, FullConfigMatchesIgnition214)
{
	// The only difference from 2.14: HEAD's Luks has a Cex value struct
	// (first in field order), which Go always writes.
	std::string expected = replaceAll(std::string(kFullConfigIgnition214), R"({"clevis":)",
					  R"({"cex":{},"clevis":)");
	EXPECT_EQ(toJson(fullConfig()), expected);
}

TEST(Serialize, IndentMatchesIgnition214)
{
	// Ignition 2.14's "Full config:" (json.MarshalIndent(cfg, "", "  ")) after
	// the files stage failed on a hash mismatch.
	Config c;
	c.ignition.version = "3.4.0-experimental";
	c.kernelArguments.shouldExist = { "x" };
	File f;
	f.path = "/etc/x";
	f.contents.source = "data:,a%3Cb%3E";
	f.contents.verification.hash = "sha512-" + std::string(128, '0');
	c.storage.files = { f };
	const std::string expected = R"({
  "ignition": {
    "config": {
      "replace": {
        "verification": {}
      }
    },
    "proxy": {},
    "security": {
      "tls": {}
    },
    "timeouts": {},
    "version": "3.4.0-experimental"
  },
  "kernelArguments": {
    "shouldExist": [
      "x"
    ]
  },
  "passwd": {},
  "storage": {
    "files": [
      {
        "group": {},
        "path": "/etc/x",
        "user": {},
        "contents": {
          "source": "data:,a%3Cb%3E",
          "verification": {
            "hash": "sha512-00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
          }
        }
      }
    ]
  },
  "systemd": {}
})";
	EXPECT_EQ(toJson(c, "  "), expected);
}

TEST(Serialize, Escaping)
{
	Config c;
	c.ignition.version = "<&>\"\\\t\n\x1f\xe2\x80\xa9";
	std::string json = toJson(c);
	EXPECT_NE(json.find(R"("version":"\u003c\u0026\u003e\"\\\t\n\u001f\u2029")"), std::string::npos) << json;
}

TEST(Serialize, NewerSpecFields)
{
	// Fields 2.14 does not have (3.4+: luks discard/openOptions, tang
	// advertisement; 3.5: cex), placed by Go's field order of HEAD's types.
	Config c;
	c.ignition.version = "3.7.0-experimental";
	Luks l;
	l.name = "root";
	l.device = "/dev/disk/by-partlabel/root";
	l.cex.enabled = true;
	l.discard = true;
	l.openOptions = { "--perf-no_read_workqueue" };
	l.options = { "--cipher", "aes" };
	Luks tang;
	tang.name = "data";
	tang.device = "/dev/vdb";
	tang.clevis.tang = { Tang{ R"({"payload":"x"})", "tp", "https://tang" }, Tang{ {}, {}, "" } };
	c.storage.luks = { l, tang };
	EXPECT_EQ(toJson(c),
		  R"({"ignition":{"config":{"replace":{"verification":{}}},"proxy":{},"security":{"tls":{}},"timeouts":{},"version":"3.7.0-experimental"},"kernelArguments":{},"passwd":{},)"
		  R"("storage":{"luks":[{"cex":{"enabled":true},"clevis":{"custom":{}},"device":"/dev/disk/by-partlabel/root","discard":true,"keyFile":{"verification":{}},"name":"root","openOptions":["--perf-no_read_workqueue"],"options":["--cipher","aes"]},)"
		  R"({"cex":{},"clevis":{"custom":{},"tang":[{"advertisement":"{\"payload\":\"x\"}","thumbprint":"tp","url":"https://tang"},{}]},"device":"/dev/vdb","keyFile":{"verification":{}},"name":"data"}]},"systemd":{}})");
}

TEST(Serialize, OmitemptyPlainFields)
{
	// Partition.number and Tang.url carry omitempty; other plain fields do not.
	Config c;
	c.ignition.version = "3.7.0-experimental";
	c.storage.disks = { Disk{ "", { Partition{} }, {} } };
	c.storage.files = { File{} };
	c.passwd.users = { PasswdUser{} };
	c.systemd.units = { Unit{} };
	std::string json = toJson(c);
	EXPECT_NE(json.find(R"("disks":[{"device":"","partitions":[{}]}])"), std::string::npos) << json;
	EXPECT_NE(json.find(R"("files":[{"group":{},"path":"","user":{},"contents":{"verification":{}}}])"),
		  std::string::npos)
		<< json;
	EXPECT_NE(json.find(R"("users":[{"name":""}])"), std::string::npos) << json;
	EXPECT_NE(json.find(R"("units":[{"name":""}])"), std::string::npos) << json;
}

// detectForeignFormat: what a non-v3 input looks like.

struct DetectCase {
	const char *name;
	std::string input;
	// A substring the hint must contain; empty: no hint expected.
	std::string expected;
};

class DetectTest : public testing::TestWithParam<DetectCase>
{
};

TEST_P(DetectTest, Hint)
{
	const DetectCase &c = GetParam();
	std::string hint = detectForeignFormat(c.input);
	if (c.expected.empty())
		EXPECT_EQ(hint, "");
	else
		EXPECT_NE(hint.find(c.expected), std::string::npos) << hint;
}

INSTANTIATE_TEST_SUITE_P(
	Detect, DetectTest,
	testing::Values(
		DetectCase{ "V3Config", R"({"ignition":{"version":"3.4.0"}})", "" },
		DetectCase{ "V3ConfigWithSpaces", " \n\t{ \"ignition\" : { \"version\" : \"3.0.0\" } }", "" },
		DetectCase{ "BrokenJsonObject", R"({"ignition":)", "" },
		DetectCase{ "Empty", "", "" },
		DetectCase{ "Blank", " \n ", "" },
		DetectCase{ "Butane",
			    "variant: fcos\nversion: 1.5.0\npasswd:\n  users:\n    - name: core\n",
			    "this looks like a Butane config (variant: fcos, version: 1.5.0); Ignition configs are "
			    "JSON: translate it first with `butane --pretty --strict config.bu > config.ign`" },
		DetectCase{ "ButaneQuotedWithComment", "# my config\nvariant: \"flatcar\"  # yes\nversion: '1.1.0'\n",
			    "(variant: flatcar, version: 1.1.0)" },
		DetectCase{ "YamlVersionOnly", "---\nversion: 1.0.0\n", "Butane config (version: 1.0.0)" },
		DetectCase{ "CloudConfig", "#cloud-config\nusers:\n  - name: core\n", "cloud-init" },
		DetectCase{ "Spec2", R"({"ignition":{"version":"2.2.0"},"storage":{}})",
			    "spec 1.x and 2.x configs are not supported" },
		DetectCase{ "Spec2Converter", R"({"ignition": {"version": "2.3.0"}})", "ign-converter" },
		DetectCase{ "Spec2Range", R"({"ignition":{"version":"2.1.0"}})", supportedRangeText() },
		DetectCase{ "Spec1", R"({"ignitionVersion": 1, "storage": {}})", "spec 1 config" },
		DetectCase{ "Bom", "\xEF\xBB\xBF{\"ignition\":{\"version\":\"3.0.0\"}}",
			    "the file starts with a UTF-8 byte order mark; remove it" },
		DetectCase{ "NotJson", "hello world", "not JSON: an Ignition config is a JSON object" },
		DetectCase{ "ShellScript", "#!/bin/sh\necho hi\n", "not JSON" },
		DetectCase{ "JsonArray", "[1, 2]", "not JSON" }),
	[](const testing::TestParamInfo<DetectCase> &info) { return info.param.name; });

} // namespace
} // namespace flint::config
