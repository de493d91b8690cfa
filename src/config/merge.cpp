// Ignition's config/merge on the latest types, written out field by field.
//
// The rules (config/merge/merge.go):
//   - plain (non-optional) scalar fields: the child always wins, even if empty;
//   - optional fields: the child wins if set, else the parent;
//   - struct fields: a zero child keeps the parent, a zero parent takes the
//     child, otherwise the two are merged field by field;
//   - lists in Ignition's IgnoreDuplicates() (file append, filesystem options
//     and mountOptions, raid options, luks options): parent then child;
//   - every other list is keyed (Key()): parent order is kept, a parent item
//     whose key the child has in the same list is merged with it in place, a
//     parent item whose key the child has in another list of the same
//     MergedKeys() group (storage files/directories/links; kernel arguments
//     shouldExist/shouldNotExist) is dropped, then the child's items whose key
//     is not in the parent's list are appended in child order;
//   - an HTTP header whose child entry has no value deletes the parent's
//     header (the child entry goes with it).
// Go looks the child up in a map, so when the child repeats a key the last
// occurrence (in field order, then list order) is the one merged; that is
// reproduced here. Repeated keys in the parent are each merged.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "flint/config/config.h"
#include "flint/config/version.h"

namespace flint::config {

namespace {

// Go pointer field: the child's value if set, else the parent's.
template<typename T>
std::optional<T> pick(const std::optional<T> &parent, const std::optional<T> &child)
{
	return child ? child : parent;
}

// Go struct field: zero child keeps the parent, zero parent takes the child,
// otherwise merge field by field.
template<typename T, typename MergeFields>
T mergeStruct(const T &parent, const T &child, MergeFields mergeFields)
{
	if (child == T{})
		return parent;
	if (parent == T{})
		return child;
	return mergeFields(parent, child);
}

// As mergeStruct, moving the child when it is all there is.
template<typename T, typename MergeFields>
T mergeStructFrom(const T &parent, T &&child, MergeFields mergeFields)
{
	if (child == T{})
		return parent;
	if (parent == T{})
		return std::move(child);
	return mergeFields(parent, child);
}

// A list in IgnoreDuplicates(): parent items, then child items.
template<typename T>
std::vector<T> concat(const std::vector<T> &parent, const std::vector<T> &child)
{
	std::vector<T> out;
	out.reserve(parent.size() + child.size());
	out.insert(out.end(), parent.begin(), parent.end());
	out.insert(out.end(), child.begin(), child.end());
	return out;
}

// Where the child holds a key, among the lists that share one key space: the
// list (an id local to the struct being merged) and the index in it. Filled in
// Go's field order with later entries overwriting earlier ones, as Go's map is.
struct ChildEntry {
	int list;
	std::size_t index;
};

class ChildKeys final
{
public:
	template<typename T, typename KeyFn>
	void add(int list, const std::vector<T> &items, KeyFn key)
	{
		for (std::size_t i = 0; i < items.size(); i++)
			entries_[key(items[i])] = ChildEntry{ list, i };
	}

	const ChildEntry *find(const std::string &key) const
	{
		auto it = entries_.find(key);
		return it == entries_.end() ? nullptr : &it->second;
	}

private:
	std::unordered_map<std::string, ChildEntry> entries_;
};

// A keyed list. `mergeItem(out, parentItem, childItem)` appends the merge of
// two items with the same key (or nothing, to delete it).
template<typename T, typename KeyFn, typename MergeItem>
std::vector<T> mergeKeyed(const std::vector<T> &parent, const std::vector<T> &child,
			  int list, const ChildKeys &childKeys, KeyFn key, MergeItem mergeItem)
{
	std::vector<T> out;
	if (parent.empty() && child.empty())
		return out;
	out.reserve(parent.size() + child.size());

	std::unordered_set<std::string> parentKeys;
	for (const T &item : parent)
		parentKeys.insert(key(item));

	for (const T &item : parent) {
		const ChildEntry *entry = childKeys.find(key(item));
		if (!entry)
			out.push_back(item);
		else if (entry->list == list)
			mergeItem(out, item, child[entry->index]);
		// else: the child has the key in a sibling list; the parent item goes.
	}
	for (const T &item : child) {
		if (!parentKeys.contains(key(item)))
			out.push_back(item);
	}
	return out;
}

// A keyed list whose key space is its own.
template<typename T, typename KeyFn, typename MergeItem>
std::vector<T> mergeKeyed(const std::vector<T> &parent, const std::vector<T> &child,
			  KeyFn key, MergeItem mergeItem)
{
	ChildKeys childKeys;
	childKeys.add(0, child, key);
	return mergeKeyed(parent, child, 0, childKeys, key, mergeItem);
}

// Merges list items with a struct merge function.
template<typename MergeFn>
auto itemMerger(MergeFn mergeFn)
{
	return [mergeFn](auto &out, const auto &parent, const auto &child) {
		out.push_back(mergeFn(parent, child));
	};
}

const std::string &stringKey(const std::string &s)
{
	return s;
}

// A keyed list of strings: the key is the value, so a match is the child's.
std::vector<std::string> mergeStrings(const std::vector<std::string> &parent,
				      const std::vector<std::string> &child)
{
	return mergeKeyed(parent, child, stringKey,
			  [](std::vector<std::string> &out, const std::string &, const std::string &c) {
				  out.push_back(c);
			  });
}

// Key() methods of Ignition's types.

std::string resourceKey(const Resource &r)
{
	return r.source.value_or(std::string());
}

std::string partitionKey(const Partition &p)
{
	if (p.number != 0)
		return "number:" + std::to_string(p.number);
	if (p.label)
		return "label:" + *p.label;
	return {};
}

// Per-type field merges (both sides known non-zero where Go checks).

Verification mergeVerification(const Verification &p, const Verification &c)
{
	return Verification{ pick(p.hash, c.hash) };
}

HttpHeader mergeHeader(const HttpHeader &p, const HttpHeader &c)
{
	return HttpHeader{ c.name, pick(p.value, c.value) };
}

Resource mergeResource(const Resource &p, const Resource &c)
{
	Resource r;
	r.compression = pick(p.compression, c.compression);
	r.httpHeaders = mergeKeyed(
		p.httpHeaders, c.httpHeaders,
		[](const HttpHeader &h) { return h.name; },
		[](std::vector<HttpHeader> &out, const HttpHeader &ph, const HttpHeader &ch) {
			// A child header without a value removes the parent's.
			if (ch.value)
				out.push_back(mergeHeader(ph, ch));
		});
	r.source = pick(p.source, c.source);
	r.verification = mergeStruct(p.verification, c.verification, mergeVerification);
	return r;
}

std::vector<Resource> mergeResources(const std::vector<Resource> &p, const std::vector<Resource> &c)
{
	return mergeKeyed(p, c, resourceKey, itemMerger(mergeResource));
}

Resource mergeResourceField(const Resource &p, const Resource &c)
{
	return mergeStruct(p, c, mergeResource);
}

IgnitionConfig mergeIgnitionConfig(const IgnitionConfig &p, const IgnitionConfig &c)
{
	IgnitionConfig r;
	r.merge = mergeResources(p.merge, c.merge);
	r.replace = mergeResourceField(p.replace, c.replace);
	return r;
}

Proxy mergeProxy(const Proxy &p, const Proxy &c)
{
	Proxy r;
	r.httpProxy = pick(p.httpProxy, c.httpProxy);
	r.httpsProxy = pick(p.httpsProxy, c.httpsProxy);
	r.noProxy = mergeStrings(p.noProxy, c.noProxy);
	return r;
}

Tls mergeTls(const Tls &p, const Tls &c)
{
	return Tls{ mergeResources(p.certificateAuthorities, c.certificateAuthorities) };
}

Security mergeSecurity(const Security &p, const Security &c)
{
	return Security{ mergeStruct(p.tls, c.tls, mergeTls) };
}

Timeouts mergeTimeouts(const Timeouts &p, const Timeouts &c)
{
	Timeouts r;
	r.httpResponseHeaders = pick(p.httpResponseHeaders, c.httpResponseHeaders);
	r.httpTotal = pick(p.httpTotal, c.httpTotal);
	return r;
}

Ignition mergeIgnition(const Ignition &p, const Ignition &c)
{
	Ignition r;
	r.config = mergeStruct(p.config, c.config, mergeIgnitionConfig);
	r.proxy = mergeStruct(p.proxy, c.proxy, mergeProxy);
	r.security = mergeStruct(p.security, c.security, mergeSecurity);
	r.timeouts = mergeStruct(p.timeouts, c.timeouts, mergeTimeouts);
	r.version = c.version;
	return r;
}

KernelArguments mergeKernelArguments(const KernelArguments &p, const KernelArguments &c)
{
	// MergedKeys(): both lists share the "KernelArgument" key space.
	enum { kShouldExist, kShouldNotExist };
	ChildKeys childKeys;
	childKeys.add(kShouldExist, c.shouldExist, stringKey);
	childKeys.add(kShouldNotExist, c.shouldNotExist, stringKey);
	auto takeChild = [](std::vector<std::string> &out, const std::string &, const std::string &ch) {
		out.push_back(ch);
	};

	KernelArguments r;
	r.shouldExist = mergeKeyed(p.shouldExist, c.shouldExist, kShouldExist, childKeys,
				   stringKey, takeChild);
	r.shouldNotExist = mergeKeyed(p.shouldNotExist, c.shouldNotExist, kShouldNotExist,
				      childKeys, stringKey, takeChild);
	return r;
}

PasswdGroup mergePasswdGroup(const PasswdGroup &p, const PasswdGroup &c)
{
	PasswdGroup r;
	r.gid = pick(p.gid, c.gid);
	r.name = c.name;
	r.passwordHash = pick(p.passwordHash, c.passwordHash);
	r.shouldExist = pick(p.shouldExist, c.shouldExist);
	r.system = pick(p.system, c.system);
	return r;
}

PasswdUser mergePasswdUser(const PasswdUser &p, const PasswdUser &c)
{
	PasswdUser r;
	r.gecos = pick(p.gecos, c.gecos);
	r.groups = mergeStrings(p.groups, c.groups);
	r.homeDir = pick(p.homeDir, c.homeDir);
	r.name = c.name;
	r.noCreateHome = pick(p.noCreateHome, c.noCreateHome);
	r.noLogInit = pick(p.noLogInit, c.noLogInit);
	r.noUserGroup = pick(p.noUserGroup, c.noUserGroup);
	r.passwordHash = pick(p.passwordHash, c.passwordHash);
	r.primaryGroup = pick(p.primaryGroup, c.primaryGroup);
	r.sshAuthorizedKeys = mergeStrings(p.sshAuthorizedKeys, c.sshAuthorizedKeys);
	r.shell = pick(p.shell, c.shell);
	r.shouldExist = pick(p.shouldExist, c.shouldExist);
	r.system = pick(p.system, c.system);
	r.uid = pick(p.uid, c.uid);
	return r;
}

Passwd mergePasswd(const Passwd &p, const Passwd &c)
{
	Passwd r;
	r.groups = mergeKeyed(p.groups, c.groups, [](const PasswdGroup &g) { return g.name; },
			      itemMerger(mergePasswdGroup));
	r.users = mergeKeyed(p.users, c.users, [](const PasswdUser &u) { return u.name; },
			     itemMerger(mergePasswdUser));
	return r;
}

NodeOwner mergeNodeOwner(const NodeOwner &p, const NodeOwner &c)
{
	return NodeOwner{ pick(p.id, c.id), pick(p.name, c.name) };
}

Node mergeNodeFields(const Node &p, const Node &c)
{
	Node r;
	r.group = mergeStruct(p.group, c.group, mergeNodeOwner);
	r.overwrite = pick(p.overwrite, c.overwrite);
	r.path = c.path;
	r.user = mergeStruct(p.user, c.user, mergeNodeOwner);
	return r;
}

// The embedded Node is a struct field in Go, with the zero-value checks.
Node mergeNode(const Node &p, const Node &c)
{
	return mergeStruct(p, c, mergeNodeFields);
}

// The *Embedded1 halves have no plain scalar fields, so Go's zero-value checks
// on them give the same result as merging field by field.
File mergeFile(const File &p, const File &c)
{
	File r;
	static_cast<Node &>(r) = mergeNode(p, c);
	r.append = concat(p.append, c.append);
	r.contents = mergeResourceField(p.contents, c.contents);
	r.mode = pick(p.mode, c.mode);
	return r;
}

Directory mergeDirectory(const Directory &p, const Directory &c)
{
	Directory r;
	static_cast<Node &>(r) = mergeNode(p, c);
	r.mode = pick(p.mode, c.mode);
	return r;
}

Link mergeLink(const Link &p, const Link &c)
{
	Link r;
	static_cast<Node &>(r) = mergeNode(p, c);
	r.hard = pick(p.hard, c.hard);
	r.target = pick(p.target, c.target);
	return r;
}

Partition mergePartition(const Partition &p, const Partition &c)
{
	Partition r;
	r.guid = pick(p.guid, c.guid);
	r.label = pick(p.label, c.label);
	r.number = c.number;
	r.resize = pick(p.resize, c.resize);
	r.shouldExist = pick(p.shouldExist, c.shouldExist);
	r.sizeMiB = pick(p.sizeMiB, c.sizeMiB);
	r.startMiB = pick(p.startMiB, c.startMiB);
	r.typeGuid = pick(p.typeGuid, c.typeGuid);
	r.wipePartitionEntry = pick(p.wipePartitionEntry, c.wipePartitionEntry);
	return r;
}

Disk mergeDisk(const Disk &p, const Disk &c)
{
	Disk r;
	r.device = c.device;
	r.partitions = mergeKeyed(p.partitions, c.partitions, partitionKey, itemMerger(mergePartition));
	r.wipeTable = pick(p.wipeTable, c.wipeTable);
	return r;
}

Raid mergeRaid(const Raid &p, const Raid &c)
{
	Raid r;
	r.devices = mergeStrings(p.devices, c.devices);
	r.level = pick(p.level, c.level);
	r.name = c.name;
	r.options = concat(p.options, c.options);
	r.spares = pick(p.spares, c.spares);
	return r;
}

Filesystem mergeFilesystem(const Filesystem &p, const Filesystem &c)
{
	Filesystem r;
	r.device = c.device;
	r.format = pick(p.format, c.format);
	r.label = pick(p.label, c.label);
	r.mountOptions = concat(p.mountOptions, c.mountOptions);
	r.options = concat(p.options, c.options);
	r.path = pick(p.path, c.path);
	r.uuid = pick(p.uuid, c.uuid);
	r.wipeFilesystem = pick(p.wipeFilesystem, c.wipeFilesystem);
	return r;
}

Tang mergeTang(const Tang &p, const Tang &c)
{
	Tang r;
	r.advertisement = pick(p.advertisement, c.advertisement);
	r.thumbprint = pick(p.thumbprint, c.thumbprint);
	r.url = c.url;
	return r;
}

ClevisCustom mergeClevisCustom(const ClevisCustom &p, const ClevisCustom &c)
{
	ClevisCustom r;
	r.config = pick(p.config, c.config);
	r.needsNetwork = pick(p.needsNetwork, c.needsNetwork);
	r.pin = pick(p.pin, c.pin);
	return r;
}

Clevis mergeClevis(const Clevis &p, const Clevis &c)
{
	Clevis r;
	r.custom = mergeStruct(p.custom, c.custom, mergeClevisCustom);
	r.tang = mergeKeyed(p.tang, c.tang, [](const Tang &t) { return t.url; }, itemMerger(mergeTang));
	r.threshold = pick(p.threshold, c.threshold);
	r.tpm2 = pick(p.tpm2, c.tpm2);
	return r;
}

Cex mergeCex(const Cex &p, const Cex &c)
{
	return Cex{ pick(p.enabled, c.enabled) };
}

Luks mergeLuks(const Luks &p, const Luks &c)
{
	Luks r;
	r.cex = mergeStruct(p.cex, c.cex, mergeCex);
	r.clevis = mergeStruct(p.clevis, c.clevis, mergeClevis);
	r.device = pick(p.device, c.device);
	r.discard = pick(p.discard, c.discard);
	r.keyFile = mergeResourceField(p.keyFile, c.keyFile);
	r.label = pick(p.label, c.label);
	r.name = c.name;
	r.openOptions = mergeStrings(p.openOptions, c.openOptions);
	r.options = concat(p.options, c.options);
	r.uuid = pick(p.uuid, c.uuid);
	r.wipeVolume = pick(p.wipeVolume, c.wipeVolume);
	return r;
}

std::string nodeKey(const Node &n)
{
	return n.path;
}

Storage mergeStorage(const Storage &p, const Storage &c)
{
	// MergedKeys(): files, directories and links share the "Node" key space.
	// Go fills its map in field order: directories, files, links.
	enum { kDirectories, kFiles, kLinks };
	ChildKeys nodes;
	nodes.add(kDirectories, c.directories, nodeKey);
	nodes.add(kFiles, c.files, nodeKey);
	nodes.add(kLinks, c.links, nodeKey);

	Storage r;
	r.directories = mergeKeyed(p.directories, c.directories, kDirectories, nodes, nodeKey,
				   itemMerger(mergeDirectory));
	r.disks = mergeKeyed(p.disks, c.disks, [](const Disk &d) { return d.device; },
			     itemMerger(mergeDisk));
	r.files = mergeKeyed(p.files, c.files, kFiles, nodes, nodeKey, itemMerger(mergeFile));
	r.filesystems = mergeKeyed(p.filesystems, c.filesystems,
				   [](const Filesystem &f) { return f.device; },
				   itemMerger(mergeFilesystem));
	r.links = mergeKeyed(p.links, c.links, kLinks, nodes, nodeKey, itemMerger(mergeLink));
	r.luks = mergeKeyed(p.luks, c.luks, [](const Luks &l) { return l.name; }, itemMerger(mergeLuks));
	r.raid = mergeKeyed(p.raid, c.raid, [](const Raid &ra) { return ra.name; }, itemMerger(mergeRaid));
	return r;
}

Dropin mergeDropin(const Dropin &p, const Dropin &c)
{
	return Dropin{ pick(p.contents, c.contents), c.name };
}

Unit mergeUnit(const Unit &p, const Unit &c)
{
	Unit r;
	r.contents = pick(p.contents, c.contents);
	r.dropins = mergeKeyed(p.dropins, c.dropins, [](const Dropin &d) { return d.name; },
			       itemMerger(mergeDropin));
	r.enabled = pick(p.enabled, c.enabled);
	r.mask = pick(p.mask, c.mask);
	r.name = c.name;
	return r;
}

Systemd mergeSystemd(const Systemd &p, const Systemd &c)
{
	return Systemd{ mergeKeyed(p.units, c.units, [](const Unit &u) { return u.name; },
				   itemMerger(mergeUnit)) };
}

} // namespace

Config emptyConfig()
{
	Config cfg;
	cfg.ignition.version = specVersion(kLatestSpec).toString();
	return cfg;
}

Config merge(const Config &parent, const Config &child)
{
	Config r;
	r.ignition = mergeStruct(parent.ignition, child.ignition, mergeIgnition);
	r.kernelArguments = mergeStruct(parent.kernelArguments, child.kernelArguments,
					mergeKernelArguments);
	r.passwd = mergeStruct(parent.passwd, child.passwd, mergePasswd);
	r.storage = mergeStruct(parent.storage, child.storage, mergeStorage);
	r.systemd = mergeStruct(parent.systemd, child.systemd, mergeSystemd);
	return r;
}

Config merge(const Config &parent, Config &&child)
{
	Config r;
	r.ignition = mergeStructFrom(parent.ignition, std::move(child.ignition), mergeIgnition);
	r.kernelArguments = mergeStructFrom(parent.kernelArguments, std::move(child.kernelArguments),
					    mergeKernelArguments);
	r.passwd = mergeStructFrom(parent.passwd, std::move(child.passwd), mergePasswd);
	r.storage = mergeStructFrom(parent.storage, std::move(child.storage), mergeStorage);
	r.systemd = mergeStructFrom(parent.systemd, std::move(child.systemd), mergeSystemd);
	return r;
}

} // namespace flint::config
