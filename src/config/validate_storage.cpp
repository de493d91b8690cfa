// Validation of storage: files, directories, links, disks, partitions, RAID,
// LUKS and filesystems.
#include "validate_internal.h"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "flint/base/go.h"
#include "flint/base/json.h"
#include "flint/base/url.h"

namespace flint::config::detail {

namespace {


std::string checkOwner(const NodeOwner &o)
{
	if (o.id && !nilOrEmpty(o.name))
		return "cannot set both id and name";
	return {};
}

void validateNodeFields(Ctx &c, const Node &n)
{
	c.errorIf({ K("group") }, checkOwner(n.group));
	c.errorIf({ K("user") }, checkOwner(n.user));
}

// How many links have a path that `path` lies under, i.e. how many times
// Ignition's strings.HasPrefix(path, link.path+"/") holds. Instead of its
// pairwise loop (quadratic in entries), every prefix of `path` that ends
// before a '/' is looked up among the link paths.
std::size_t linksAbove(std::string_view path, const std::unordered_map<std::string_view, std::size_t> &links)
{
	std::size_t n = 0;
	for (std::size_t p = path.find('/'); p != std::string_view::npos; p = path.find('/', p + 1))
		if (auto it = links.find(path.substr(0, p)); it != links.end())
			n += it->second;
	return n;
}

void validateLinksAndParents(Ctx &c, const Storage &s)
{
	std::unordered_map<std::string_view, std::size_t> links, dirs;
	for (const auto &l : s.links)
		links[l.path]++;
	for (const auto &d : s.directories)
		dirs[d.path]++;
	auto repeat = [&](std::size_t n, std::initializer_list<PathElement> at, const char *msg) {
		for (std::size_t k = 0; k < n; k++)
			c.error(at, msg);
	};
	if (!links.empty()) {
		for (std::size_t i = 0; i < s.directories.size(); i++)
			repeat(linksAbove(s.directories[i].path, links), { K("directories"), I(i) },
			       "directory path includes link in config");
		for (std::size_t i = 0; i < s.files.size(); i++)
			repeat(linksAbove(s.files[i].path, links), { K("files"), I(i) }, "file path includes link in config");
	}
	for (std::size_t i = 0; i < s.links.size(); i++) {
		const Link &l1 = s.links[i];
		repeat(linksAbove(l1.path, links), { K("links"), I(i) }, "link path includes link in config");
		// Specs before 3.3 had a plain string target that was never checked.
		if (c.atLeast(Spec::V3_3) && nilOrEmpty(l1.target)) {
			c.error({ K("links"), I(i), K("target") }, "link target is required");
			continue;
		}
		if (!isTrue(l1.hard))
			continue;
		std::string rawTarget = l1.target.value_or("");
		std::string target = go::pathClean(rawTarget);
		if (!go::pathIsAbs(target))
			target = go::pathJoin(l1.path, rawTarget);
		if (auto it = dirs.find(target); it != dirs.end())
			repeat(it->second, { K("links"), I(i) }, "hard link target is a directory");
	}
	if (!c.atLeast(Spec::V3_5))
		return;
	// Upstream 2.17+: filesystems that will destroy configured partitions.
	std::map<std::string, const Disk *> disks;
	for (const auto &d : s.disks)
		disks[d.device] = &d;
	for (std::size_t i = 0; i < s.filesystems.size(); i++) {
		auto it = disks.find(s.filesystems[i].device);
		if (it == disks.end())
			continue;
		if (!it->second->partitions.empty())
			c.warning({ K("filesystems"), I(i), K("device") }, "filesystem overwrites partitioned device");
		else if (!isTrue(s.filesystems[i].wipeFilesystem) && isTrue(it->second->wipeTable))
			c.warning({ K("filesystems"), I(i), K("device") },
				  "device matches disk with wipeTable enabled; filesystem will be wiped");
	}
}

void validateFile(Ctx &c, const File &f)
{
	c.errorIf({ K("path") }, checkPath(f.path));
	validateMode(c, f.mode);
	if (isTrue(f.overwrite) && !f.contents.source)
		c.error({ K("overwrite") }, "overwrite must be false if source is unspecified");
	validateNodeFields(c, f);
	{
		auto s = c.enter("append");
		for (std::size_t i = 0; i < f.append.size(); i++) {
			auto si = c.enter(i);
			validateResource(c, f.append[i], ResourceKind::FileContents);
		}
	}
	auto s = c.enter("contents");
	validateResource(c, f.contents, ResourceKind::FileContents);
}

void validateDirectory(Ctx &c, const Directory &d)
{
	c.errorIf({ K("path") }, checkPath(d.path));
	validateMode(c, d.mode);
	validateNodeFields(c, d);
}

void validateLink(Ctx &c, const Link &l)
{
	c.errorIf({ K("path") }, checkPath(l.path));
	if (c.atLeast(Spec::V3_5) && isTrue(l.hard)) {
		if (l.user.id || l.user.name)
			c.warning({ K("user") }, "user/group ignored for hard link");
		if (l.group.id || l.group.name)
			c.warning({ K("group") }, "user/group ignored for hard link");
	}
	validateNodeFields(c, l);
}

std::string checkGuid(const OptString &g)
{
	static const std::regex kGuid(
		"^(|[[:xdigit:]]{8}-[[:xdigit:]]{4}-[[:xdigit:]]{4}-[[:xdigit:]]{4}-[[:xdigit:]]{12})$");
	if (!g)
		return {};
	if (!std::regex_match(*g, kGuid))
		return "doesn't match the form \"01234567-89AB-CDEF-EDCB-A98765432101\"";
	return {};
}

void validatePartition(Ctx &c, const Partition &p)
{
	if (isFalse(p.shouldExist) &&
	    (p.label || !nilOrEmpty(p.typeGuid) || !nilOrEmpty(p.guid) || p.startMiB || p.sizeMiB))
		c.error({}, "shouldExist specified false with other options also specified");
	if (p.number == 0 && !p.label)
		c.error({}, "a partition number >= 1 or a label must be specified");
	if (p.label) {
		if (p.label->size() > 36)
			c.error({ K("label") }, "partition labels may not exceed 36 characters");
		else if (p.label->find(':') != std::string::npos)
			c.error({ K("label") }, "partition label will be truncated to text before the colon");
	}
	c.errorIf({ K("guid") }, checkGuid(p.guid));
	c.errorIf({ K("typeGuid") }, checkGuid(p.typeGuid));
}

std::int64_t partitionEnd(const Partition &p)
{
	if (*p.sizeMiB == 0)
		return *p.startMiB;
	return *p.startMiB + *p.sizeMiB - 1;
}

void validateDisk(Ctx &c, const Disk &d)
{
	if (d.device.empty()) {
		c.error({ K("device") }, "disk device is required");
	} else {
		c.errorIf({ K("device") }, checkPath(d.device));
		const auto &ps = d.partitions;
		// Numbers that collide: report the second user of the first such number.
		for (std::size_t i = 0, found = 0; i < ps.size() && !found; i++)
			for (std::size_t j = i + 1; j < ps.size() && ps[i].number != 0; j++)
				if (ps[j].number == ps[i].number) {
					c.error({ K("partitions"), I(j) }, "partition numbers collide");
					found = 1;
					break;
				}
		bool overlap = false;
		for (std::size_t a = 0; a < ps.size() && !overlap; a++) {
			const auto &p = ps[a];
			if (!p.startMiB || !p.sizeMiB || *p.startMiB == 0)
				continue;
			for (std::size_t i = 0; i < ps.size(); i++) {
				const auto &o = ps[i];
				if (!o.startMiB || !o.sizeMiB || a == i || *o.startMiB == 0)
					continue;
				if ((*p.startMiB >= *o.startMiB && *p.startMiB <= partitionEnd(o)) ||
				    (partitionEnd(p) >= *o.startMiB && partitionEnd(p) <= partitionEnd(o)) ||
				    (*p.startMiB < *o.startMiB && partitionEnd(p) > partitionEnd(o))) {
					c.error({ K("partitions"), I(i) }, "partitions overlap");
					overlap = true;
					break;
				}
			}
		}
		if (!c.atLeast(Spec::V3_4)) {
			bool zero = false, notExist = false;
			for (const auto &p : ps) {
				notExist = notExist || isFalse(p.shouldExist);
				zero = zero || p.number == 0;
			}
			if (zero && notExist)
				c.error({ K("partitions") },
					"shouldExist is false for a partition and other partition(s) has start or size 0");
		}
		std::vector<const std::string *> labels;
		for (std::size_t i = 0; i < ps.size(); i++) {
			if (!ps[i].label)
				continue;
			bool dup = std::any_of(labels.begin(), labels.end(),
					       [&](const std::string *l) { return *l == *ps[i].label; });
			if (dup) {
				c.error({ K("partitions"), I(i) }, "cannot use the same partition label twice");
				break;
			}
			labels.push_back(&*ps[i].label);
		}
	}
	auto s = c.enter("partitions");
	for (std::size_t i = 0; i < d.partitions.size(); i++) {
		auto si = c.enter(i);
		validatePartition(c, d.partitions[i]);
	}
}

void validateRaid(Ctx &c, const Raid &r)
{
	std::string err;
	bool levelIsPointer = c.atLeast(Spec::V3_3);
	if (levelIsPointer && nilOrEmpty(r.level)) {
		err = "raid level is required";
	} else {
		const std::string level = r.level.value_or("");
		if (level == "linear" || level == "raid0" || level == "0" || level == "stripe") {
			if (r.spares && *r.spares != 0)
				err = "spares unsupported for linear and raid0 arrays";
		} else if (!(level == "raid1" || level == "1" || level == "mirror" || level == "raid4" || level == "4" ||
			     level == "raid5" || level == "5" || level == "raid6" || level == "6" || level == "raid10" ||
			     level == "10")) {
			err = "unrecognized raid level";
		}
	}
	c.errorIf({ K("level") }, err);
	if (r.devices.empty())
		c.error({ K("devices") }, "raid devices required");
	auto s = c.enter("devices");
	for (std::size_t i = 0; i < r.devices.size(); i++)
		c.errorIf({ I(i) }, checkPath(r.devices[i]));
}

std::size_t labelLimit(std::string_view format)
{
	if (format == "ext4")
		return 16;
	if (format == "btrfs")
		return 256;
	if (format == "xfs")
		return 12;
	if (format == "swap")
		return 15;
	if (format == "vfat")
		return 11;
	return 0;
}

void validateFilesystem(Ctx &c, const Filesystem &f)
{
	bool virtiofs = c.atLeast(Spec::V3_7_Exp) && f.format && *f.format == "virtiofs";
	c.errorIf({ K("path") }, checkPathOptional(f.path));
	if (virtiofs) {
		if (f.device.size() > 36)
			c.error({ K("device") }, "virtiofs device tag cannot be longer than 36 bytes");
	} else {
		c.errorIf({ K("device") }, checkPath(f.device));
	}
	std::string err;
	if (nilOrEmpty(f.format)) {
		if (!nilOrEmpty(f.path) || !nilOrEmpty(f.label) || !nilOrEmpty(f.uuid) || isTrue(f.wipeFilesystem) ||
		    !f.mountOptions.empty() || !f.options.empty())
			err = "format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified";
	} else {
		const std::string &fmt = *f.format;
		bool ok = fmt == "ext4" || fmt == "btrfs" || fmt == "xfs" || fmt == "swap" || fmt == "vfat" ||
			  (fmt == "none" && c.atLeast(Spec::V3_3)) || virtiofs;
		if (!ok)
			err = "invalid filesystem format";
	}
	c.errorIf({ K("format") }, err);
	if (virtiofs) {
		if (!nilOrEmpty(f.label))
			c.error({ K("label") }, "filesystem labels cannot be set when using virtiofs");
		if (!nilOrEmpty(f.uuid))
			c.error({ K("uuid") }, "filesystem uuid cannot be set for non-block-device filesystems");
		if (isTrue(f.wipeFilesystem))
			c.error({ K("wipeFilesystem") }, "wipeFilesystem cannot be set for non-block-device filesystems");
		if (!f.options.empty())
			c.error({ K("options") }, "filesystem options (mkfs) cannot be set for non-block-device filesystems");
		return;
	}
	if (nilOrEmpty(f.label))
		return;
	if (nilOrEmpty(f.format)) {
		c.error({ K("label") }, "filesystem must specify format if label is specified");
		return;
	}
	if (std::size_t limit = labelLimit(*f.format); limit && f.label->size() > limit)
		c.error({ K("label") }, "filesystem labels cannot be longer than " + std::to_string(limit) +
						" characters when using " + *f.format);
}

void validateCustom(Ctx &c, const ClevisCustom &cu)
{
	if (!c.atLeast(Spec::V3_3)) {
		// 3.2: Custom{Pin, Config string}.
		std::string pin = cu.pin.value_or(""), config = cu.config.value_or("");
		if (pin.empty() && config.empty())
			return;
		if (pin != "tpm2" && pin != "tang" && pin != "sss")
			c.error({ K("pin") }, "unsupported clevis pin");
		if (config.empty())
			c.error({ K("config") }, "missing required custom clevis config");
		return;
	}
	if (nilOrEmpty(cu.pin) && nilOrEmpty(cu.config) && !isTrue(cu.needsNetwork))
		return;
	if (!nilOrEmpty(cu.pin)) {
		if (!c.atLeast(Spec::V3_6) && *cu.pin != "tpm2" && *cu.pin != "tang" && *cu.pin != "sss")
			c.error({ K("pin") }, "unsupported clevis pin");
	} else {
		c.error({ K("pin") }, "missing required custom clevis pin");
	}
	if (nilOrEmpty(cu.config))
		c.error({ K("config") }, "missing required custom clevis config");
}

void validateTang(Ctx &c, const Tang &t)
{
	auto u = parseGoUrl(t.url);
	if (!u)
		c.error({ K("url") }, "unable to parse url");
	else if (u->scheme != "http" && u->scheme != "https")
		c.error({ K("url") }, "invalid url scheme");
	if (nilOrEmpty(t.thumbprint))
		c.error({ K("thumbprint") }, "thumbprint is required");
	if (c.atLeast(Spec::V3_4) && !nilOrEmpty(t.advertisement) && json::parse(*t.advertisement).error)
		c.error({ K("advertisement") }, "advertisement is not valid JSON");
}

void validateLuks(Ctx &c, const Luks &l)
{
	if (l.name.find('/') != std::string::npos)
		c.error({ K("name") }, "device names cannot contain slashes");
	if (!nilOrEmpty(l.label) && l.label->size() > 47)
		c.error({ K("label") }, "luks device labels cannot be longer than 47 characters");
	if (nilOrEmpty(l.device))
		c.error({ K("device") }, "disk device is required");
	else
		c.errorIf({ K("device") }, checkPath(*l.device));
	const Clevis &cl = l.clevis;
	bool others = !cl.tang.empty() || isTrue(cl.tpm2) || (cl.threshold && *cl.threshold != 0);
	bool custom = c.atLeast(Spec::V3_3) ? !nilOrEmpty(cl.custom.pin) : cl.custom != ClevisCustom{};
	if (custom && others)
		c.error({ K("clevis") }, "cannot use custom clevis config with tpm2, tang, or threshold");
	if (!checkUrlOptional(l.keyFile.source, c.spec()).empty())
		c.error({ K("keys") }, "invalid key-file source");
	// Both cex conflicts are reported at "cex" (v3_5 types/luks.go); a key
	// file counts only with a non-empty source (util.NotEmpty).
	if (c.atLeast(Spec::V3_5) && isTrue(l.cex.enabled)) {
		if (custom || others)
			c.error({ K("cex") }, "cannot use cex with clevis");
		if (!nilOrEmpty(l.keyFile.source))
			c.error({ K("cex") }, "cannot use key file with cex");
	}
	{
		auto s = c.enter("clevis");
		{
			auto sc = c.enter("custom");
			validateCustom(c, cl.custom);
		}
		auto st = c.enter("tang");
		for (std::size_t i = 0; i < cl.tang.size(); i++) {
			auto si = c.enter(i);
			validateTang(c, cl.tang[i]);
		}
	}
	auto s = c.enter("keyFile");
	validateResource(c, l.keyFile, ResourceKind::Resource);
}

template<typename T, typename F>
void each(Ctx &c, std::string_view field, const std::vector<T> &items, F fn)
{
	auto s = c.enter(field);
	for (std::size_t i = 0; i < items.size(); i++) {
		auto si = c.enter(i);
		fn(c, items[i]);
	}
}

// Files are most of a large config (each inline content is decoded to be
// checked): past kParallelFiles they are checked in two halves at once. The
// second half's entries come after the first's: the report is the one a
// single pass gives. The checks share nothing but constants.
constexpr std::size_t kParallelFiles = 1024;

void eachFile(Ctx &c, const std::vector<File> &files)
{
	if (files.size() < kParallelFiles) {
		each(c, "files", files, validateFile);
		return;
	}
	auto s = c.enter("files");
	const std::size_t half = files.size() / 2;
	Report secondHalf;
	Ctx other = c.fork(secondHalf);
	auto check = [&files](Ctx &cc, std::size_t from, std::size_t to) {
		for (std::size_t i = from; i < to; i++) {
			auto si = cc.enter(i);
			validateFile(cc, files[i]);
		}
	};
	std::thread helper;
	try {
		helper = std::thread(check, std::ref(other), half, files.size());
	} catch (const std::system_error &) {
		check(c, 0, files.size());
		return;
	}
	check(c, 0, half);
	helper.join();
	c.absorb(secondHalf);
}

} // namespace

void validateStorage(Ctx &c, const Storage &s)
{
	validateLinksAndParents(c, s);
	each(c, "directories", s.directories, validateDirectory);
	each(c, "disks", s.disks, validateDisk);
	eachFile(c, s.files);
	each(c, "filesystems", s.filesystems, validateFilesystem);
	each(c, "links", s.links, validateLink);
	if (c.atLeast(Spec::V3_2))
		each(c, "luks", s.luks, validateLuks);
	each(c, "raid", s.raid, validateRaid);
}

} // namespace flint::config::detail
