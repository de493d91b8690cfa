// Decoding JSON into config types with Go encoding/json semantics: keys match
// fields exactly or else case-insensitively (first field in declaration
// order), the last duplicate key wins, null leaves a value alone and clears a
// pointer or list, and only the first type error is kept.
#include "decode.h"

#include <span>
#include <string_view>
#include <vector>

#include "flint/base/go.h"

namespace flint::config::detail {

namespace {

using json::Kind;
using json::Value;

class Decoder;

// One field of a Go struct: its JSON name, the first spec that has it, how to
// decode it, and (for the unused-key walk) the struct schema below it.
struct FieldDef;

struct StructSchema {
	std::string_view goName;
	// The Go type name in specs up to and including `altUntil`, if different.
	std::string_view altName;
	Spec altUntil;
	std::span<const FieldDef> fields;

	std::string_view nameFor(Spec s) const
	{
		return (!altName.empty() && s <= altUntil) ? altName : goName;
	}
};

struct FieldDef {
	std::string_view name;
	Spec since;
	void (*decode)(Decoder &, Value &, void *);
	const StructSchema *child = nullptr; // struct or list of structs
	// In spec 3.2 luks.clevis and clevis.custom are Go pointers: a null
	// leaves them nil, so they are not walked.
	bool pointerIn32 = false;
};

const char *kindName(Kind k)
{
	switch (k) {
	case Kind::Null:
		return "null";
	case Kind::Bool:
		return "bool";
	case Kind::Number:
		return "number";
	case Kind::String:
		return "string";
	case Kind::Array:
		return "array";
	case Kind::Object:
		return "object";
	}
	return "value";
}

class Decoder final
{
public:
	// A consuming decoder moves string payloads out of the tree.
	Decoder(Spec spec, bool consume) : spec_(spec), consume_(consume) {}

	Spec spec() const { return spec_; }
	std::optional<TypeError> &error() { return error_; }

	void fail(Value &v, std::string_view goType, std::string value = {})
	{
		if (error_)
			return;
		if (value.empty())
			value = kindName(v.kind);
		std::string msg = "json: cannot unmarshal " + value + " into Go ";
		if (!structName_.empty() || !fieldStack_.empty()) {
			msg += "struct field ";
			msg += structName_;
			msg += '.';
			for (std::size_t i = 0; i < fieldStack_.size(); i++) {
				if (i)
					msg += '.';
				msg += fieldStack_[i];
			}
			msg += " of type ";
		} else {
			msg += "value of type ";
		}
		msg += goType;
		std::size_t offset = (v.kind == Kind::Object || v.kind == Kind::Array) ? v.marker : v.end;
		error_ = TypeError{ std::move(msg), offset };
	}

	void str(Value &v, std::string &out, std::string_view goType = "string")
	{
		if (v.kind == Kind::String)
			out = consume_ ? std::move(v.text) : v.text;
		else if (v.kind != Kind::Null)
			fail(v, goType);
	}

	void optStr(Value &v, OptString &out)
	{
		if (v.kind == Kind::String)
			out = consume_ ? std::move(v.text) : v.text;
		else if (v.kind == Kind::Null)
			out.reset();
		else
			fail(v, "string");
	}

	void integer(Value &v, std::int64_t &out)
	{
		if (v.kind == Kind::Number) {
			if (auto n = go::parseInt64(v.text))
				out = *n;
			else
				fail(v, "int", "number " + v.text);
		} else if (v.kind != Kind::Null) {
			fail(v, "int");
		}
	}

	void optInt(Value &v, OptInt &out)
	{
		if (v.kind == Kind::Null) {
			out.reset();
			return;
		}
		std::int64_t n = out.value_or(0);
		bool hadError = error_.has_value();
		integer(v, n);
		if (v.kind == Kind::Number && (hadError || !error_))
			out = n;
	}

	void optBool(Value &v, OptBool &out)
	{
		if (v.kind == Kind::Bool)
			out = v.boolean;
		else if (v.kind == Kind::Null)
			out.reset();
		else
			fail(v, "bool");
	}

	void strList(Value &v, std::vector<std::string> &out, std::string_view elemType)
	{
		if (v.kind == Kind::Null) {
			out.clear();
			return;
		}
		if (v.kind != Kind::Array) {
			fail(v, "[]" + std::string(elemType));
			return;
		}
		out.resize(v.items.size());
		for (std::size_t i = 0; i < v.items.size(); i++)
			str(v.items[i], out[i], elemType);
	}

	template<typename T>
	void structure(Value &v, T &out, const StructSchema &schema)
	{
		if (v.kind == Kind::Null)
			return;
		std::string_view name = schema.nameFor(spec_);
		if (v.kind != Kind::Object) {
			fail(v, "types." + std::string(name));
			return;
		}
		std::string_view savedStruct = structName_;
		for (auto &m : v.members) {
			const FieldDef *f = findField(schema, m.key);
			if (!f)
				continue;
			structName_ = name;
			fieldStack_.push_back(f->name);
			f->decode(*this, m.value, &out);
			fieldStack_.pop_back();
		}
		structName_ = savedStruct;
	}

	template<typename T>
	void list(Value &v, std::vector<T> &out, const StructSchema &schema, std::string_view sliceType = {})
	{
		if (v.kind == Kind::Null) {
			out.clear();
			return;
		}
		if (v.kind != Kind::Array) {
			fail(v, sliceType.empty() ? "[]types." + std::string(schema.nameFor(spec_)) : std::string(sliceType));
			return;
		}
		out.resize(v.items.size());
		for (std::size_t i = 0; i < v.items.size(); i++)
			structure(v.items[i], out[i], schema);
	}

	const FieldDef *findField(const StructSchema &schema, std::string_view key) const
	{
		for (const auto &f : schema.fields)
			if (f.since <= spec_ && f.name == key)
				return &f;
		for (const auto &f : schema.fields)
			if (f.since <= spec_ && go::equalFold(f.name, key))
				return &f;
		return nullptr;
	}

private:
	Spec spec_;
	bool consume_;
	std::optional<TypeError> error_;
	std::string_view structName_;
	std::vector<std::string_view> fieldStack_;
};

template<typename T>
T &as(void *p) { return *static_cast<T *>(p); }

constexpr Spec V30 = Spec::V3_0, V31 = Spec::V3_1, V32 = Spec::V3_2, V33 = Spec::V3_3, V34 = Spec::V3_4,
	       V35 = Spec::V3_5;

// Schemas, leaves first.

const FieldDef kVerificationFields[] = {
	{ "hash", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Verification>(p).hash); } },
};
const StructSchema kVerification{ "Verification", {}, V30, kVerificationFields };

const FieldDef kHeaderFields[] = {
	{ "name", V31, [](Decoder &d, Value &v, void *p) { d.str(v, as<HttpHeader>(p).name); } },
	{ "value", V31, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<HttpHeader>(p).value); } },
};
const StructSchema kHeader{ "HTTPHeader", {}, V30, kHeaderFields };

void decodeHeaders(Decoder &d, Value &v, void *p)
{
	d.list(v, as<Resource>(p).httpHeaders, kHeader, "types.HTTPHeaders");
}
void decodeSource(Decoder &d, Value &v, void *p) { d.optStr(v, as<Resource>(p).source); }
void decodeCompression(Decoder &d, Value &v, void *p) { d.optStr(v, as<Resource>(p).compression); }
void decodeVerification(Decoder &d, Value &v, void *p)
{
	d.structure(v, as<Resource>(p).verification, kVerification);
}

// File contents: 3.0 FileContents{compression, source, verification}.
const FieldDef kContentsFields[] = {
	{ "compression", V30, decodeCompression },
	{ "httpHeaders", V31, decodeHeaders, &kHeader },
	{ "source", V30, decodeSource },
	{ "verification", V30, decodeVerification, &kVerification },
};
const StructSchema kContents{ "Resource", "FileContents", V30, kContentsFields };

// Config references: 3.0 ConfigReference{source, verification}.
const FieldDef kConfigRefFields[] = {
	{ "compression", V31, decodeCompression },
	{ "httpHeaders", V31, decodeHeaders, &kHeader },
	{ "source", V30, decodeSource },
	{ "verification", V30, decodeVerification, &kVerification },
};
const StructSchema kConfigRef{ "Resource", "ConfigReference", V30, kConfigRefFields };
const StructSchema kCaRef{ "Resource", "CaReference", V30, kConfigRefFields };
// Other resources (luks key files) only exist from 3.2 on.
const StructSchema kResource{ "Resource", {}, V30, kConfigRefFields };

const FieldDef kIgnitionConfigFields[] = {
	{ "merge", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<IgnitionConfig>(p).merge, kConfigRef); },
	  &kConfigRef },
	{ "replace", V30,
	  [](Decoder &d, Value &v, void *p) { d.structure(v, as<IgnitionConfig>(p).replace, kConfigRef); },
	  &kConfigRef },
};
const StructSchema kIgnitionConfig{ "IgnitionConfig", {}, V30, kIgnitionConfigFields };

const FieldDef kProxyFields[] = {
	{ "httpProxy", V31, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Proxy>(p).httpProxy); } },
	{ "httpsProxy", V31, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Proxy>(p).httpsProxy); } },
	{ "noProxy", V31,
	  [](Decoder &d, Value &v, void *p) { d.strList(v, as<Proxy>(p).noProxy, "types.NoProxyItem"); } },
};
const StructSchema kProxy{ "Proxy", {}, V30, kProxyFields };

const FieldDef kTlsFields[] = {
	{ "certificateAuthorities", V30,
	  [](Decoder &d, Value &v, void *p) { d.list(v, as<Tls>(p).certificateAuthorities, kCaRef); }, &kCaRef },
};
const StructSchema kTls{ "TLS", {}, V30, kTlsFields };

const FieldDef kSecurityFields[] = {
	{ "tls", V30, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Security>(p).tls, kTls); }, &kTls },
};
const StructSchema kSecurity{ "Security", {}, V30, kSecurityFields };

const FieldDef kTimeoutsFields[] = {
	{ "httpResponseHeaders", V30,
	  [](Decoder &d, Value &v, void *p) { d.optInt(v, as<Timeouts>(p).httpResponseHeaders); } },
	{ "httpTotal", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<Timeouts>(p).httpTotal); } },
};
const StructSchema kTimeouts{ "Timeouts", {}, V30, kTimeoutsFields };

const FieldDef kIgnitionFields[] = {
	{ "config", V30,
	  [](Decoder &d, Value &v, void *p) { d.structure(v, as<Ignition>(p).config, kIgnitionConfig); },
	  &kIgnitionConfig },
	{ "proxy", V31, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Ignition>(p).proxy, kProxy); },
	  &kProxy },
	{ "security", V30,
	  [](Decoder &d, Value &v, void *p) { d.structure(v, as<Ignition>(p).security, kSecurity); },
	  &kSecurity },
	{ "timeouts", V30,
	  [](Decoder &d, Value &v, void *p) { d.structure(v, as<Ignition>(p).timeouts, kTimeouts); },
	  &kTimeouts },
	{ "version", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<Ignition>(p).version); } },
};
const StructSchema kIgnition{ "Ignition", {}, V30, kIgnitionFields };

const FieldDef kKargsFields[] = {
	{ "shouldExist", V33,
	  [](Decoder &d, Value &v, void *p) {
		  d.strList(v, as<KernelArguments>(p).shouldExist, "types.KernelArgument");
	  } },
	{ "shouldNotExist", V33,
	  [](Decoder &d, Value &v, void *p) {
		  d.strList(v, as<KernelArguments>(p).shouldNotExist, "types.KernelArgument");
	  } },
};
const StructSchema kKargs{ "KernelArguments", {}, V30, kKargsFields };

const FieldDef kGroupFields[] = {
	{ "gid", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<PasswdGroup>(p).gid); } },
	{ "name", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<PasswdGroup>(p).name); } },
	{ "passwordHash", V30,
	  [](Decoder &d, Value &v, void *p) { d.optStr(v, as<PasswdGroup>(p).passwordHash); } },
	{ "shouldExist", V32,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<PasswdGroup>(p).shouldExist); } },
	{ "system", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<PasswdGroup>(p).system); } },
};
const StructSchema kGroup{ "PasswdGroup", {}, V30, kGroupFields };

const FieldDef kUserFields[] = {
	{ "gecos", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<PasswdUser>(p).gecos); } },
	{ "groups", V30,
	  [](Decoder &d, Value &v, void *p) { d.strList(v, as<PasswdUser>(p).groups, "types.Group"); } },
	{ "homeDir", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<PasswdUser>(p).homeDir); } },
	{ "name", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<PasswdUser>(p).name); } },
	{ "noCreateHome", V30,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<PasswdUser>(p).noCreateHome); } },
	{ "noLogInit", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<PasswdUser>(p).noLogInit); } },
	{ "noUserGroup", V30,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<PasswdUser>(p).noUserGroup); } },
	{ "passwordHash", V30,
	  [](Decoder &d, Value &v, void *p) { d.optStr(v, as<PasswdUser>(p).passwordHash); } },
	{ "primaryGroup", V30,
	  [](Decoder &d, Value &v, void *p) { d.optStr(v, as<PasswdUser>(p).primaryGroup); } },
	{ "sshAuthorizedKeys", V30,
	  [](Decoder &d, Value &v, void *p) {
		  d.strList(v, as<PasswdUser>(p).sshAuthorizedKeys, "types.SSHAuthorizedKey");
	  } },
	{ "shell", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<PasswdUser>(p).shell); } },
	{ "shouldExist", V32,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<PasswdUser>(p).shouldExist); } },
	{ "system", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<PasswdUser>(p).system); } },
	{ "uid", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<PasswdUser>(p).uid); } },
};
const StructSchema kUser{ "PasswdUser", {}, V30, kUserFields };

const FieldDef kPasswdFields[] = {
	{ "groups", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Passwd>(p).groups, kGroup); },
	  &kGroup },
	{ "users", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Passwd>(p).users, kUser); }, &kUser },
};
const StructSchema kPasswd{ "Passwd", {}, V30, kPasswdFields };

const FieldDef kOwnerFields[] = {
	{ "id", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<NodeOwner>(p).id); } },
	{ "name", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<NodeOwner>(p).name); } },
};
const StructSchema kNodeUser{ "NodeUser", {}, V30, kOwnerFields };
const StructSchema kNodeGroup{ "NodeGroup", {}, V30, kOwnerFields };

// The embedded Node fields, shared by files, directories and links.
template<typename T>
constexpr FieldDef nodeField(int which)
{
	switch (which) {
	case 0:
		return { "group", V30,
			 [](Decoder &d, Value &v, void *p) { d.structure(v, as<T>(p).group, kNodeGroup); },
			 &kNodeGroup };
	case 1:
		return { "overwrite", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<T>(p).overwrite); } };
	case 2:
		return { "path", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<T>(p).path); } };
	default:
		return { "user", V30,
			 [](Decoder &d, Value &v, void *p) { d.structure(v, as<T>(p).user, kNodeUser); },
			 &kNodeUser };
	}
}

const FieldDef kFileFields[] = {
	nodeField<File>(0),
	nodeField<File>(1),
	nodeField<File>(2),
	nodeField<File>(3),
	{ "append", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<File>(p).append, kContents); },
	  &kContents },
	{ "contents", V30,
	  [](Decoder &d, Value &v, void *p) { d.structure(v, as<File>(p).contents, kContents); }, &kContents },
	{ "mode", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<File>(p).mode); } },
};
const StructSchema kFile{ "File", {}, V30, kFileFields };

const FieldDef kDirectoryFields[] = {
	nodeField<Directory>(0),
	nodeField<Directory>(1),
	nodeField<Directory>(2),
	nodeField<Directory>(3),
	{ "mode", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<Directory>(p).mode); } },
};
const StructSchema kDirectory{ "Directory", {}, V30, kDirectoryFields };

const FieldDef kLinkFields[] = {
	nodeField<Link>(0),
	nodeField<Link>(1),
	nodeField<Link>(2),
	nodeField<Link>(3),
	{ "hard", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Link>(p).hard); } },
	{ "target", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Link>(p).target); } },
};
const StructSchema kLink{ "Link", {}, V30, kLinkFields };

const FieldDef kPartitionFields[] = {
	{ "guid", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Partition>(p).guid); } },
	{ "label", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Partition>(p).label); } },
	{ "number", V30, [](Decoder &d, Value &v, void *p) { d.integer(v, as<Partition>(p).number); } },
	{ "resize", V32, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Partition>(p).resize); } },
	{ "shouldExist", V30,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Partition>(p).shouldExist); } },
	{ "sizeMiB", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<Partition>(p).sizeMiB); } },
	{ "startMiB", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<Partition>(p).startMiB); } },
	{ "typeGuid", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Partition>(p).typeGuid); } },
	{ "wipePartitionEntry", V30,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Partition>(p).wipePartitionEntry); } },
};
const StructSchema kPartition{ "Partition", {}, V30, kPartitionFields };

const FieldDef kDiskFields[] = {
	{ "device", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<Disk>(p).device); } },
	{ "partitions", V30,
	  [](Decoder &d, Value &v, void *p) { d.list(v, as<Disk>(p).partitions, kPartition); }, &kPartition },
	{ "wipeTable", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Disk>(p).wipeTable); } },
};
const StructSchema kDisk{ "Disk", {}, V30, kDiskFields };

const FieldDef kRaidFields[] = {
	{ "devices", V30,
	  [](Decoder &d, Value &v, void *p) { d.strList(v, as<Raid>(p).devices, "types.Device"); } },
	{ "level", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Raid>(p).level); } },
	{ "name", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<Raid>(p).name); } },
	{ "options", V30,
	  [](Decoder &d, Value &v, void *p) { d.strList(v, as<Raid>(p).options, "types.RaidOption"); } },
	{ "spares", V30, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<Raid>(p).spares); } },
};
const StructSchema kRaid{ "Raid", {}, V30, kRaidFields };

const FieldDef kFilesystemFields[] = {
	{ "device", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<Filesystem>(p).device); } },
	{ "format", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Filesystem>(p).format); } },
	{ "label", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Filesystem>(p).label); } },
	{ "mountOptions", V31,
	  [](Decoder &d, Value &v, void *p) {
		  d.strList(v, as<Filesystem>(p).mountOptions, "types.MountOption");
	  } },
	{ "options", V30,
	  [](Decoder &d, Value &v, void *p) {
		  d.strList(v, as<Filesystem>(p).options, "types.FilesystemOption");
	  } },
	{ "path", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Filesystem>(p).path); } },
	{ "uuid", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Filesystem>(p).uuid); } },
	{ "wipeFilesystem", V30,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Filesystem>(p).wipeFilesystem); } },
};
const StructSchema kFilesystem{ "Filesystem", {}, V30, kFilesystemFields };

const FieldDef kTangFields[] = {
	{ "advertisement", V34, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Tang>(p).advertisement); } },
	{ "thumbprint", V32, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Tang>(p).thumbprint); } },
	{ "url", V32, [](Decoder &d, Value &v, void *p) { d.str(v, as<Tang>(p).url); } },
};
const StructSchema kTang{ "Tang", {}, V30, kTangFields };

const FieldDef kCustomFields[] = {
	{ "config", V32, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<ClevisCustom>(p).config); } },
	{ "needsNetwork", V32,
	  [](Decoder &d, Value &v, void *p) { d.optBool(v, as<ClevisCustom>(p).needsNetwork); } },
	{ "pin", V32, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<ClevisCustom>(p).pin); } },
};
const StructSchema kCustom{ "ClevisCustom", "Custom", V32, kCustomFields };

const FieldDef kClevisFields[] = {
	{ "custom", V32,
	  [](Decoder &d, Value &v, void *p) {
		  auto &c = as<Clevis>(p);
		  if (v.kind == Kind::Null && d.spec() == Spec::V3_2)
			  c.custom = {};
		  d.structure(v, c.custom, kCustom);
		  // In 3.2 pin and config are plain Go strings: a present custom
		  // object holds both, empty or not, which is what tells it
		  // apart from an absent one (and what 3.3's translation keeps).
		  if (v.kind == Kind::Object && d.spec() == Spec::V3_2) {
			  if (!c.custom.pin)
				  c.custom.pin = "";
			  if (!c.custom.config)
				  c.custom.config = "";
		  }
	  },
	  &kCustom, true },
	{ "tang", V32, [](Decoder &d, Value &v, void *p) { d.list(v, as<Clevis>(p).tang, kTang); }, &kTang },
	{ "threshold", V32, [](Decoder &d, Value &v, void *p) { d.optInt(v, as<Clevis>(p).threshold); } },
	{ "tpm2", V32, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Clevis>(p).tpm2); } },
};
const StructSchema kClevis{ "Clevis", {}, V30, kClevisFields };

const FieldDef kCexFields[] = {
	{ "enabled", V35, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Cex>(p).enabled); } },
};
const StructSchema kCex{ "Cex", {}, V30, kCexFields };

const FieldDef kLuksFields[] = {
	{ "cex", V35, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Luks>(p).cex, kCex); }, &kCex },
	{ "clevis", V32,
	  [](Decoder &d, Value &v, void *p) {
		  auto &l = as<Luks>(p);
		  if (v.kind == Kind::Null && d.spec() == Spec::V3_2)
			  l.clevis = {};
		  d.structure(v, l.clevis, kClevis);
	  },
	  &kClevis, true },
	{ "device", V32, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Luks>(p).device); } },
	{ "discard", V34, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Luks>(p).discard); } },
	{ "keyFile", V32, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Luks>(p).keyFile, kResource); },
	  &kResource },
	{ "label", V32, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Luks>(p).label); } },
	{ "name", V32, [](Decoder &d, Value &v, void *p) { d.str(v, as<Luks>(p).name); } },
	{ "openOptions", V34,
	  [](Decoder &d, Value &v, void *p) { d.strList(v, as<Luks>(p).openOptions, "types.OpenOption"); } },
	{ "options", V32,
	  [](Decoder &d, Value &v, void *p) { d.strList(v, as<Luks>(p).options, "types.LuksOption"); } },
	{ "uuid", V32, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Luks>(p).uuid); } },
	{ "wipeVolume", V32, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Luks>(p).wipeVolume); } },
};
const StructSchema kLuks{ "Luks", {}, V30, kLuksFields };

const FieldDef kStorageFields[] = {
	{ "directories", V30,
	  [](Decoder &d, Value &v, void *p) { d.list(v, as<Storage>(p).directories, kDirectory); },
	  &kDirectory },
	{ "disks", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Storage>(p).disks, kDisk); }, &kDisk },
	{ "files", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Storage>(p).files, kFile); }, &kFile },
	{ "filesystems", V30,
	  [](Decoder &d, Value &v, void *p) { d.list(v, as<Storage>(p).filesystems, kFilesystem); },
	  &kFilesystem },
	{ "links", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Storage>(p).links, kLink); }, &kLink },
	{ "luks", V32, [](Decoder &d, Value &v, void *p) { d.list(v, as<Storage>(p).luks, kLuks); }, &kLuks },
	{ "raid", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Storage>(p).raid, kRaid); }, &kRaid },
};
const StructSchema kStorage{ "Storage", {}, V30, kStorageFields };

const FieldDef kDropinFields[] = {
	{ "contents", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Dropin>(p).contents); } },
	{ "name", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<Dropin>(p).name); } },
};
const StructSchema kDropin{ "Dropin", {}, V30, kDropinFields };

const FieldDef kUnitFields[] = {
	{ "contents", V30, [](Decoder &d, Value &v, void *p) { d.optStr(v, as<Unit>(p).contents); } },
	{ "dropins", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Unit>(p).dropins, kDropin); },
	  &kDropin },
	{ "enabled", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Unit>(p).enabled); } },
	{ "mask", V30, [](Decoder &d, Value &v, void *p) { d.optBool(v, as<Unit>(p).mask); } },
	{ "name", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<Unit>(p).name); } },
};
const StructSchema kUnit{ "Unit", {}, V30, kUnitFields };

const FieldDef kSystemdFields[] = {
	{ "units", V30, [](Decoder &d, Value &v, void *p) { d.list(v, as<Systemd>(p).units, kUnit); }, &kUnit },
};
const StructSchema kSystemd{ "Systemd", {}, V30, kSystemdFields };

const FieldDef kConfigFields[] = {
	{ "ignition", V30, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Config>(p).ignition, kIgnition); },
	  &kIgnition },
	{ "kernelArguments", V33,
	  [](Decoder &d, Value &v, void *p) { d.structure(v, as<Config>(p).kernelArguments, kKargs); },
	  &kKargs },
	{ "passwd", V30, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Config>(p).passwd, kPasswd); },
	  &kPasswd },
	{ "storage", V30, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Config>(p).storage, kStorage); },
	  &kStorage },
	{ "systemd", V30, [](Decoder &d, Value &v, void *p) { d.structure(v, as<Config>(p).systemd, kSystemd); },
	  &kSystemd },
};
const StructSchema kConfig{ "Config", {}, V30, kConfigFields };

// util.versionStub: struct { Ignition struct { Version string } } (no tags).
const FieldDef kStubIgnitionFields[] = {
	{ "Version", V30, [](Decoder &d, Value &v, void *p) { d.str(v, as<std::string>(p)); } },
};
const StructSchema kStubIgnition{ "", {}, V30, kStubIgnitionFields };
const FieldDef kStubFields[] = {
	{ "Ignition", V30,
	  [](Decoder &d, Value &v, void *p) {
		  if (v.kind != Kind::Object && v.kind != Kind::Null) {
			  d.fail(v, "struct { Version string }");
			  return;
		  }
		  d.structure(v, as<std::string>(p), kStubIgnition);
	  } },
};
const StructSchema kStub{ "versionStub", {}, V30, kStubFields };

// The unused-key walk (vcontext ValidateUnusedKeys), guided by the schema.
class UnusedKeyWalker final
{
public:
	UnusedKeyWalker(Spec spec, const json::LineIndex &lines, Report &report)
		: spec_(spec), lines_(lines), report_(report)
	{
	}

	void walk(const Value &node, const StructSchema &schema, Path &path)
	{
		if (node.kind != Kind::Object) {
			report_.addWarning(path, "context tree does not match content tree at " + pathString(path) +
							 ". Line and column reporting may be inconsistent. Unused keys may not be reported.");
			return;
		}
		// Go maps: each distinct key once, its last occurrence wins.
		for (std::size_t i = 0; i < node.members.size(); i++) {
			const auto &m = node.members[i];
			if (isShadowed(node, i))
				continue;
			const FieldDef *f = exactField(schema, m.key);
			if (!f) {
				path.push_back(PathElement::ofKey(m.key));
				report_.addWarning(path, "unused key " + m.key);
				auto &e = report_.entries().back();
				auto lc = lines_.at(m.keyMarker);
				e.hasMarker = true;
				e.line = lc.line;
				e.col = lc.col;
				path.pop_back();
				continue;
			}
			if (!f->child)
				continue;
			path.push_back(PathElement::ofKey(m.key));
			const Value &child = m.value;
			if (child.kind == Kind::Array) {
				for (std::size_t j = 0; j < child.items.size(); j++) {
					path.push_back(PathElement::ofIndex(static_cast<long>(j)));
					walk(child.items[j], *f->child, path);
					path.pop_back();
				}
			} else if (child.kind == Kind::Object || !isListField(*f, node, m.key)) {
				bool nilPointer = child.kind == Kind::Null && f->pointerIn32 && spec_ == Spec::V3_2;
				if (!nilPointer)
					walk(child, *f->child, path);
			}
			path.pop_back();
		}
	}

private:
	static bool isShadowed(const Value &obj, std::size_t i)
	{
		for (std::size_t j = i + 1; j < obj.members.size(); j++)
			if (obj.members[j].key == obj.members[i].key)
				return true;
		return false;
	}

	const FieldDef *exactField(const StructSchema &schema, std::string_view key) const
	{
		for (const auto &f : schema.fields)
			if (f.since <= spec_ && f.name == key)
				return &f;
		return nullptr;
	}

	// A null list holds no structs to walk; a null struct is still walked.
	static bool isListField(const FieldDef &f, const Value &, std::string_view)
	{
		static constexpr std::string_view kLists[] = { "merge", "certificateAuthorities", "groups", "users",
								"append", "partitions", "directories", "disks",
								"files", "filesystems", "links", "luks",
								"raid", "tang", "dropins", "units",
								"httpHeaders" };
		for (auto l : kLists)
			if (f.name == l)
				return true;
		return false;
	}

	Spec spec_;
	const json::LineIndex &lines_;
	Report &report_;
};

} // namespace

VersionStub decodeVersionStub(json::Value &root)
{
	Decoder d(Spec::V3_0, false);
	VersionStub stub;
	if (root.kind != Kind::Object && root.kind != Kind::Null)
		d.fail(root, "util.versionStub");
	else
		d.structure(root, stub.version, kStub);
	stub.error = d.error();
	return stub;
}

Decoded decodeConfig(json::Value &root, Spec spec)
{
	Decoder d(spec, true);
	Decoded out;
	d.structure(root, out.config, kConfig);
	out.error = d.error();
	return out;
}

void reportUnusedKeys(const json::Value &root, Spec spec, const json::LineIndex &lines, Report &report)
{
	UnusedKeyWalker w(spec, lines, report);
	Path path;
	w.walk(root, kConfig, path);
}

} // namespace flint::config::detail
