// The config as Go's json.Marshal writes Ignition's types (the cache format).
//
// Go's omitempty never omits a struct value, so every nested object is
// written even when empty; it omits nil pointers (std::nullopt), empty lists
// and, for the few plain fields that carry it (tang url, partition number),
// the zero value. Plain fields without omitempty (path, name, device, version)
// are always written. Fields are written in Go's declaration order, which is
// the declaration order of types.h (embedded Node fields first).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/json.h"
#include "flint/config/config.h"

namespace flint::config {

namespace {

using json::Writer;

void optString(Writer &w, std::string_view key, const OptString &v)
{
	if (!v)
		return;
	w.key(key);
	w.string(*v);
}

void optInt(Writer &w, std::string_view key, const OptInt &v)
{
	if (!v)
		return;
	w.key(key);
	w.number(*v);
}

void optBool(Writer &w, std::string_view key, const OptBool &v)
{
	if (!v)
		return;
	w.key(key);
	w.boolean(*v);
}

void plainString(Writer &w, std::string_view key, const std::string &v)
{
	w.key(key);
	w.string(v);
}

void stringList(Writer &w, std::string_view key, const std::vector<std::string> &v)
{
	if (v.empty())
		return;
	w.key(key);
	w.beginArray();
	for (const std::string &s : v)
		w.string(s);
	w.endArray();
}

template<typename T, typename WriteItem>
void objectList(Writer &w, std::string_view key, const std::vector<T> &v, WriteItem writeItem)
{
	if (v.empty())
		return;
	w.key(key);
	w.beginArray();
	for (const T &item : v)
		writeItem(w, item);
	w.endArray();
}

void writeVerification(Writer &w, const Verification &v)
{
	w.beginObject();
	optString(w, "hash", v.hash);
	w.endObject();
}

void writeHeader(Writer &w, const HttpHeader &h)
{
	w.beginObject();
	plainString(w, "name", h.name);
	optString(w, "value", h.value);
	w.endObject();
}

void writeResource(Writer &w, const Resource &r)
{
	w.beginObject();
	optString(w, "compression", r.compression);
	objectList(w, "httpHeaders", r.httpHeaders, writeHeader);
	optString(w, "source", r.source);
	w.key("verification");
	writeVerification(w, r.verification);
	w.endObject();
}

void writeIgnition(Writer &w, const Ignition &ign)
{
	w.beginObject();

	w.key("config");
	w.beginObject();
	objectList(w, "merge", ign.config.merge, writeResource);
	w.key("replace");
	writeResource(w, ign.config.replace);
	w.endObject();

	w.key("proxy");
	w.beginObject();
	optString(w, "httpProxy", ign.proxy.httpProxy);
	optString(w, "httpsProxy", ign.proxy.httpsProxy);
	stringList(w, "noProxy", ign.proxy.noProxy);
	w.endObject();

	w.key("security");
	w.beginObject();
	w.key("tls");
	w.beginObject();
	objectList(w, "certificateAuthorities", ign.security.tls.certificateAuthorities, writeResource);
	w.endObject();
	w.endObject();

	w.key("timeouts");
	w.beginObject();
	optInt(w, "httpResponseHeaders", ign.timeouts.httpResponseHeaders);
	optInt(w, "httpTotal", ign.timeouts.httpTotal);
	w.endObject();

	plainString(w, "version", ign.version);
	w.endObject();
}

void writeKernelArguments(Writer &w, const KernelArguments &k)
{
	w.beginObject();
	stringList(w, "shouldExist", k.shouldExist);
	stringList(w, "shouldNotExist", k.shouldNotExist);
	w.endObject();
}

void writeGroup(Writer &w, const PasswdGroup &g)
{
	w.beginObject();
	optInt(w, "gid", g.gid);
	plainString(w, "name", g.name);
	optString(w, "passwordHash", g.passwordHash);
	optBool(w, "shouldExist", g.shouldExist);
	optBool(w, "system", g.system);
	w.endObject();
}

void writeUser(Writer &w, const PasswdUser &u)
{
	w.beginObject();
	optString(w, "gecos", u.gecos);
	stringList(w, "groups", u.groups);
	optString(w, "homeDir", u.homeDir);
	plainString(w, "name", u.name);
	optBool(w, "noCreateHome", u.noCreateHome);
	optBool(w, "noLogInit", u.noLogInit);
	optBool(w, "noUserGroup", u.noUserGroup);
	optString(w, "passwordHash", u.passwordHash);
	optString(w, "primaryGroup", u.primaryGroup);
	stringList(w, "sshAuthorizedKeys", u.sshAuthorizedKeys);
	optString(w, "shell", u.shell);
	optBool(w, "shouldExist", u.shouldExist);
	optBool(w, "system", u.system);
	optInt(w, "uid", u.uid);
	w.endObject();
}

void writePasswd(Writer &w, const Passwd &p)
{
	w.beginObject();
	objectList(w, "groups", p.groups, writeGroup);
	objectList(w, "users", p.users, writeUser);
	w.endObject();
}

void writeNodeOwner(Writer &w, std::string_view key, const NodeOwner &o)
{
	w.key(key);
	w.beginObject();
	optInt(w, "id", o.id);
	optString(w, "name", o.name);
	w.endObject();
}

// The embedded Node's fields, inlined into the enclosing object.
void writeNodeFields(Writer &w, const Node &n)
{
	writeNodeOwner(w, "group", n.group);
	optBool(w, "overwrite", n.overwrite);
	plainString(w, "path", n.path);
	writeNodeOwner(w, "user", n.user);
}

void writeDirectory(Writer &w, const Directory &d)
{
	w.beginObject();
	writeNodeFields(w, d);
	optInt(w, "mode", d.mode);
	w.endObject();
}

void writeFile(Writer &w, const File &f)
{
	w.beginObject();
	writeNodeFields(w, f);
	objectList(w, "append", f.append, writeResource);
	w.key("contents");
	writeResource(w, f.contents);
	optInt(w, "mode", f.mode);
	w.endObject();
}

void writeLink(Writer &w, const Link &l)
{
	w.beginObject();
	writeNodeFields(w, l);
	optBool(w, "hard", l.hard);
	optString(w, "target", l.target);
	w.endObject();
}

void writePartition(Writer &w, const Partition &p)
{
	w.beginObject();
	optString(w, "guid", p.guid);
	optString(w, "label", p.label);
	if (p.number != 0) {
		w.key("number");
		w.number(p.number);
	}
	optBool(w, "resize", p.resize);
	optBool(w, "shouldExist", p.shouldExist);
	optInt(w, "sizeMiB", p.sizeMiB);
	optInt(w, "startMiB", p.startMiB);
	optString(w, "typeGuid", p.typeGuid);
	optBool(w, "wipePartitionEntry", p.wipePartitionEntry);
	w.endObject();
}

void writeDisk(Writer &w, const Disk &d)
{
	w.beginObject();
	plainString(w, "device", d.device);
	objectList(w, "partitions", d.partitions, writePartition);
	optBool(w, "wipeTable", d.wipeTable);
	w.endObject();
}

void writeFilesystem(Writer &w, const Filesystem &f)
{
	w.beginObject();
	plainString(w, "device", f.device);
	optString(w, "format", f.format);
	optString(w, "label", f.label);
	stringList(w, "mountOptions", f.mountOptions);
	stringList(w, "options", f.options);
	optString(w, "path", f.path);
	optString(w, "uuid", f.uuid);
	optBool(w, "wipeFilesystem", f.wipeFilesystem);
	w.endObject();
}

void writeTang(Writer &w, const Tang &t)
{
	w.beginObject();
	optString(w, "advertisement", t.advertisement);
	optString(w, "thumbprint", t.thumbprint);
	if (!t.url.empty()) // `json:"url,omitempty"`
		plainString(w, "url", t.url);
	w.endObject();
}

void writeClevis(Writer &w, const Clevis &c)
{
	w.beginObject();
	w.key("custom");
	w.beginObject();
	optString(w, "config", c.custom.config);
	optBool(w, "needsNetwork", c.custom.needsNetwork);
	optString(w, "pin", c.custom.pin);
	w.endObject();
	objectList(w, "tang", c.tang, writeTang);
	optInt(w, "threshold", c.threshold);
	optBool(w, "tpm2", c.tpm2);
	w.endObject();
}

void writeLuks(Writer &w, const Luks &l)
{
	w.beginObject();
	w.key("cex");
	w.beginObject();
	optBool(w, "enabled", l.cex.enabled);
	w.endObject();
	w.key("clevis");
	writeClevis(w, l.clevis);
	optString(w, "device", l.device);
	optBool(w, "discard", l.discard);
	w.key("keyFile");
	writeResource(w, l.keyFile);
	optString(w, "label", l.label);
	plainString(w, "name", l.name);
	stringList(w, "openOptions", l.openOptions);
	stringList(w, "options", l.options);
	optString(w, "uuid", l.uuid);
	optBool(w, "wipeVolume", l.wipeVolume);
	w.endObject();
}

void writeRaid(Writer &w, const Raid &r)
{
	w.beginObject();
	stringList(w, "devices", r.devices);
	optString(w, "level", r.level);
	plainString(w, "name", r.name);
	stringList(w, "options", r.options);
	optInt(w, "spares", r.spares);
	w.endObject();
}

void writeStorage(Writer &w, const Storage &s)
{
	w.beginObject();
	objectList(w, "directories", s.directories, writeDirectory);
	objectList(w, "disks", s.disks, writeDisk);
	objectList(w, "files", s.files, writeFile);
	objectList(w, "filesystems", s.filesystems, writeFilesystem);
	objectList(w, "links", s.links, writeLink);
	objectList(w, "luks", s.luks, writeLuks);
	objectList(w, "raid", s.raid, writeRaid);
	w.endObject();
}

void writeDropin(Writer &w, const Dropin &d)
{
	w.beginObject();
	optString(w, "contents", d.contents);
	plainString(w, "name", d.name);
	w.endObject();
}

void writeUnit(Writer &w, const Unit &u)
{
	w.beginObject();
	optString(w, "contents", u.contents);
	objectList(w, "dropins", u.dropins, writeDropin);
	optBool(w, "enabled", u.enabled);
	optBool(w, "mask", u.mask);
	plainString(w, "name", u.name);
	w.endObject();
}

void writeSystemd(Writer &w, const Systemd &s)
{
	w.beginObject();
	objectList(w, "units", s.units, writeUnit);
	w.endObject();
}

} // namespace

std::string toJson(const Config &cfg, std::string_view indent)
{
	std::string out;
	Writer w(out, indent);
	w.beginObject();
	w.key("ignition");
	writeIgnition(w, cfg.ignition);
	w.key("kernelArguments");
	writeKernelArguments(w, cfg.kernelArguments);
	w.key("passwd");
	writePasswd(w, cfg.passwd);
	w.key("storage");
	writeStorage(w, cfg.storage);
	w.key("systemd");
	writeSystemd(w, cfg.systemd);
	w.endObject();
	return out;
}

} // namespace flint::config
