// The Ignition config types of the latest spec (3.7.0-experimental). Older
// specs are decoded into these same types (fields they lack stay unset) and
// translated; there is no copy of the types per spec version.
//
// Mapping from Go: a Go pointer (*string, *int, *bool) is std::optional; a Go
// value field is a plain member; Go int is 64 bits. Fields are declared in the
// order Go marshals them (alphabetical by JSON name, embedded Node first).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flint::config {

using OptString = std::optional<std::string>;
using OptInt = std::optional<std::int64_t>;
using OptBool = std::optional<bool>;

struct Verification {
	OptString hash;
	bool operator==(const Verification &) const = default;
};

struct HttpHeader {
	std::string name;
	OptString value;
	bool operator==(const HttpHeader &) const = default;
};

// A remote or inline piece of content (3.0's FileContents, ConfigReference and
// CaReference are decoded into this too).
struct Resource {
	OptString compression;
	std::vector<HttpHeader> httpHeaders;
	OptString source;
	Verification verification;
	bool operator==(const Resource &) const = default;
};

struct IgnitionConfig {
	std::vector<Resource> merge;
	Resource replace;
	bool operator==(const IgnitionConfig &) const = default;
};

struct Proxy {
	OptString httpProxy;
	OptString httpsProxy;
	std::vector<std::string> noProxy;
	bool operator==(const Proxy &) const = default;
};

struct Tls {
	std::vector<Resource> certificateAuthorities;
	bool operator==(const Tls &) const = default;
};

struct Security {
	Tls tls;
	bool operator==(const Security &) const = default;
};

struct Timeouts {
	OptInt httpResponseHeaders;
	OptInt httpTotal;
	bool operator==(const Timeouts &) const = default;
};

struct Ignition {
	IgnitionConfig config;
	Proxy proxy;
	Security security;
	Timeouts timeouts;
	std::string version;
	bool operator==(const Ignition &) const = default;
};

struct KernelArguments {
	std::vector<std::string> shouldExist;
	std::vector<std::string> shouldNotExist;
	bool operator==(const KernelArguments &) const = default;
};

struct PasswdGroup {
	OptInt gid;
	std::string name;
	OptString passwordHash;
	OptBool shouldExist;
	OptBool system;
	bool operator==(const PasswdGroup &) const = default;
};

struct PasswdUser {
	OptString gecos;
	std::vector<std::string> groups;
	OptString homeDir;
	std::string name;
	OptBool noCreateHome;
	OptBool noLogInit;
	OptBool noUserGroup;
	OptString passwordHash;
	OptString primaryGroup;
	std::vector<std::string> sshAuthorizedKeys;
	OptString shell;
	OptBool shouldExist;
	OptBool system;
	OptInt uid;
	bool operator==(const PasswdUser &) const = default;
};

struct Passwd {
	std::vector<PasswdGroup> groups;
	std::vector<PasswdUser> users;
	bool operator==(const Passwd &) const = default;
};

struct NodeOwner {
	OptInt id;
	OptString name;
	bool operator==(const NodeOwner &) const = default;
};

// Fields shared by files, directories and links.
struct Node {
	NodeOwner group;
	OptBool overwrite;
	std::string path;
	NodeOwner user;
	bool operator==(const Node &) const = default;
};

struct File : Node {
	std::vector<Resource> append;
	Resource contents;
	OptInt mode;
	bool operator==(const File &) const = default;
};

struct Directory : Node {
	OptInt mode;
	bool operator==(const Directory &) const = default;
};

struct Link : Node {
	OptBool hard;
	OptString target;
	bool operator==(const Link &) const = default;
};

struct Partition {
	OptString guid;
	OptString label;
	std::int64_t number = 0;
	OptBool resize;
	OptBool shouldExist;
	OptInt sizeMiB;
	OptInt startMiB;
	OptString typeGuid;
	OptBool wipePartitionEntry;
	bool operator==(const Partition &) const = default;
};

struct Disk {
	std::string device;
	std::vector<Partition> partitions;
	OptBool wipeTable;
	bool operator==(const Disk &) const = default;
};

struct Raid {
	std::vector<std::string> devices;
	OptString level;
	std::string name;
	std::vector<std::string> options;
	OptInt spares;
	bool operator==(const Raid &) const = default;
};

struct Filesystem {
	std::string device;
	OptString format;
	OptString label;
	std::vector<std::string> mountOptions;
	std::vector<std::string> options;
	OptString path;
	OptString uuid;
	OptBool wipeFilesystem;
	bool operator==(const Filesystem &) const = default;
};

struct Tang {
	OptString advertisement;
	OptString thumbprint;
	std::string url;
	bool operator==(const Tang &) const = default;
};

struct ClevisCustom {
	OptString config;
	OptBool needsNetwork;
	OptString pin;
	bool operator==(const ClevisCustom &) const = default;
};

struct Clevis {
	ClevisCustom custom;
	std::vector<Tang> tang;
	OptInt threshold;
	OptBool tpm2;
	bool operator==(const Clevis &) const = default;
};

struct Cex {
	OptBool enabled;
	bool operator==(const Cex &) const = default;
};

struct Luks {
	Cex cex;
	Clevis clevis;
	OptString device;
	OptBool discard;
	Resource keyFile;
	OptString label;
	std::string name;
	std::vector<std::string> openOptions;
	std::vector<std::string> options;
	OptString uuid;
	OptBool wipeVolume;
	bool operator==(const Luks &) const = default;
};

struct Storage {
	std::vector<Directory> directories;
	std::vector<Disk> disks;
	std::vector<File> files;
	std::vector<Filesystem> filesystems;
	std::vector<Link> links;
	std::vector<Luks> luks;
	std::vector<Raid> raid;
	bool operator==(const Storage &) const = default;
};

struct Dropin {
	OptString contents;
	std::string name;
	bool operator==(const Dropin &) const = default;
};

struct Unit {
	OptString contents;
	std::vector<Dropin> dropins;
	OptBool enabled;
	OptBool mask;
	std::string name;
	bool operator==(const Unit &) const = default;
};

struct Systemd {
	std::vector<Unit> units;
	bool operator==(const Systemd &) const = default;
};

struct Config {
	Ignition ignition;
	KernelArguments kernelArguments;
	Passwd passwd;
	Storage storage;
	Systemd systemd;
	bool operator==(const Config &) const = default;
};

} // namespace flint::config
