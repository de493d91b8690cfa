// Ignition's ValidateDups: every keyed list must have unique keys; files,
// directories and links share one key space, as do the two kernel argument
// lists. Appendable lists (file append, mkfs and mount options, RAID and LUKS
// options) may repeat.
#include "validate_internal.h"

#include <set>

namespace flint::config::detail {

namespace {

// One duplicate namespace; reports the second and later uses of a key.
class KeySpace final
{
public:
	template<typename T, typename KeyFn>
	void check(Ctx &c, std::string_view field, const std::vector<T> &items, KeyFn key)
	{
		for (std::size_t i = 0; i < items.size(); i++)
			if (!seen_.insert(key(items[i])).second)
				c.error({ K(field), I(i) }, "duplicate entry defined");
	}

private:
	std::set<std::string> seen_;
};

std::string resourceKey(const Resource &r) { return r.source.value_or(""); }
std::string self(const std::string &s) { return s; }

void resource(Ctx &c, const Resource &r)
{
	KeySpace().check(c, "httpHeaders", r.httpHeaders, [](const HttpHeader &h) { return h.name; });
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

void node(Ctx &c, const File &f)
{
	each(c, "append", f.append, resource);
	auto s = c.enter("contents");
	resource(c, f.contents);
}

std::string partitionKey(const Partition &p)
{
	if (p.number != 0)
		return "number:" + std::to_string(p.number);
	if (p.label)
		return "label:" + *p.label;
	return "";
}

} // namespace

void validateDuplicates(Ctx &c, const Config &cfg)
{
	{
		auto si = c.enter("ignition");
		{
			auto sc = c.enter("config");
			KeySpace().check(c, "merge", cfg.ignition.config.merge, resourceKey);
			each(c, "merge", cfg.ignition.config.merge, resource);
			auto sr = c.enter("replace");
			resource(c, cfg.ignition.config.replace);
		}
		{
			auto sp = c.enter("proxy");
			KeySpace().check(c, "noProxy", cfg.ignition.proxy.noProxy, self);
		}
		auto ss = c.enter("security");
		auto st = c.enter("tls");
		KeySpace().check(c, "certificateAuthorities", cfg.ignition.security.tls.certificateAuthorities, resourceKey);
		each(c, "certificateAuthorities", cfg.ignition.security.tls.certificateAuthorities, resource);
	}
	{
		auto sk = c.enter("kernelArguments");
		KeySpace kargs;
		kargs.check(c, "shouldExist", cfg.kernelArguments.shouldExist, self);
		kargs.check(c, "shouldNotExist", cfg.kernelArguments.shouldNotExist, self);
	}
	{
		auto sp = c.enter("passwd");
		KeySpace().check(c, "groups", cfg.passwd.groups, [](const PasswdGroup &g) { return g.name; });
		KeySpace().check(c, "users", cfg.passwd.users, [](const PasswdUser &u) { return u.name; });
		each(c, "users", cfg.passwd.users, [](Ctx &cc, const PasswdUser &u) {
			KeySpace().check(cc, "groups", u.groups, self);
			KeySpace().check(cc, "sshAuthorizedKeys", u.sshAuthorizedKeys, self);
		});
	}
	{
		const Storage &s = cfg.storage;
		auto ss = c.enter("storage");
		KeySpace nodes;
		auto path = [](const Node &n) { return n.path; };
		nodes.check(c, "directories", s.directories, path);
		KeySpace().check(c, "disks", s.disks, [](const Disk &d) { return d.device; });
		nodes.check(c, "files", s.files, path);
		KeySpace().check(c, "filesystems", s.filesystems, [](const Filesystem &f) { return f.device; });
		nodes.check(c, "links", s.links, path);
		KeySpace().check(c, "luks", s.luks, [](const Luks &l) { return l.name; });
		KeySpace().check(c, "raid", s.raid, [](const Raid &r) { return r.name; });
		each(c, "disks", s.disks,
		     [](Ctx &cc, const Disk &d) { KeySpace().check(cc, "partitions", d.partitions, partitionKey); });
		each(c, "files", s.files, node);
		each(c, "luks", s.luks, [](Ctx &cc, const Luks &l) {
			KeySpace().check(cc, "openOptions", l.openOptions, self);
			{
				auto scl = cc.enter("clevis");
				KeySpace().check(cc, "tang", l.clevis.tang, [](const Tang &t) { return t.url; });
			}
			auto sk = cc.enter("keyFile");
			resource(cc, l.keyFile);
		});
		each(c, "raid", s.raid, [](Ctx &cc, const Raid &r) { KeySpace().check(cc, "devices", r.devices, self); });
	}
	auto sd = c.enter("systemd");
	KeySpace().check(c, "units", cfg.systemd.units, [](const Unit &u) { return u.name; });
	each(c, "units", cfg.systemd.units, [](Ctx &cc, const Unit &u) {
		KeySpace().check(cc, "dropins", u.dropins, [](const Dropin &d) { return d.name; });
	});
}

} // namespace flint::config::detail
