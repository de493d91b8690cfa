// RAID arrays with mdadm: Ignition's --create, except that an array whose members already form it is kept.
#include <sys/stat.h>
#include <sys/wait.h>

#include <map>
#include <optional>
#include <sstream>

#include "disks_internal.h"
#include "flint/base/go.h"
#include "flint/system/blockdev.h"
#include "flint/system/devices.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

namespace flint::stages::disks {

namespace {

using config::Raid;

// The md device node: HEAD waits for /dev/md/<name>, or the name itself
// when it is already a /dev path.
std::string mdPath(const std::string &name)
{
	return name.rfind("/dev", 0) == 0 ? name : "/dev/md/" + name;
}

// mdadm's level names for the config's spellings, so "1", "mirror" and
// "raid1" compare equal with --examine's MD_LEVEL.
std::string normalLevel(const std::string &level)
{
	static const std::map<std::string, std::string> kNames = {
		{ "0", "raid0" }, { "stripe", "raid0" }, { "1", "raid1" }, { "mirror", "raid1" },
		{ "4", "raid4" }, { "5", "raid5" },      { "6", "raid6" }, { "10", "raid10" },
	};
	auto it = kNames.find(level);
	return it == kNames.end() ? level : it->second;
}

bool isBlockDevice(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
}

// `mdadm --examine --export <dev>` as KEY=VALUE pairs (MD_LEVEL, MD_DEVICES,
// MD_NAME, MD_UUID, ...), or nullopt when dev carries no md superblock
// (mdadm exits non-zero).
Result<std::optional<std::map<std::string, std::string>>> examine(const std::string &alias)
{
	std::vector<std::string> argv{ distro::kMdadmCmd, "--examine", "--export", alias };
	LOG(Disks, Debug) << "executing: " << system::quotedCommand(argv);
	Result<system::ExecOutput> o = system::execCapture(argv);
	if (!o)
		return unexpected(o.error().withContext("examining " + alias + " for an md superblock"));
	if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != 0)
		return std::optional<std::map<std::string, std::string>>();
	std::map<std::string, std::string> kv;
	std::istringstream in(o->out);
	std::string line;
	while (std::getline(in, line)) {
		std::size_t eq = line.find('=');
		if (eq != std::string::npos)
			kv[line.substr(0, eq)] = line.substr(eq + 1);
	}
	return std::optional<std::map<std::string, std::string>>(std::move(kv));
}

std::string get(const std::map<std::string, std::string> &kv, const std::string &key)
{
	auto it = kv.find(key);
	return it == kv.end() ? std::string() : it->second;
}

// What to do with one array, decided before any array is touched.
struct ArrayPlan {
	const Raid *md = nullptr;
	std::vector<std::string> aliases;
	bool reuse = false;
	std::string uuid; // of the array being reused
};

// Whether an md superblock belongs to the array the config describes: its
// name ("<homehost>:<name>" or "<name>"), level and number of active
// devices.
bool describesArray(const std::map<std::string, std::string> &sb, const Raid &md)
{
	const std::string want = go::pathBase(md.name);
	const std::string name = get(sb, "MD_NAME");
	const bool nameMatches = name == want || (name.size() > want.size() &&
						  name.compare(name.size() - want.size() - 1, std::string::npos,
							       ":" + want) == 0);
	const int spares = static_cast<int>(md.spares.value_or(0));
	const int active = static_cast<int>(md.devices.size()) - spares;
	return nameMatches && normalLevel(get(sb, "MD_LEVEL")) == normalLevel(md.level.value_or("")) &&
	       get(sb, "MD_DEVICES") == std::to_string(active);
}

Result<ArrayPlan> planArray(const Raid &md, Devices &devices)
{
	ArrayPlan plan;
	plan.md = &md;
	for (const std::string &d : md.devices)
		plan.aliases.push_back(devices.alias(d));

	// Reuse (beyond Ignition, which always re-creates): every member
	// carries a superblock of this very array, with one array UUID.
	std::size_t matching = 0;
	std::string uuid;
	bool sameArray = true;
	for (const std::string &alias : plan.aliases) {
		Result<std::optional<std::map<std::string, std::string>>> sb = examine(alias);
		if (!sb)
			return unexpected(sb.error());
		if (!*sb || !describesArray(**sb, md))
			continue;
		matching++;
		const std::string u = get(**sb, "MD_UUID");
		if (uuid.empty())
			uuid = u;
		else if (u != uuid)
			sameArray = false;
	}
	if (matching == md.devices.size() && sameArray && !uuid.empty()) {
		plan.reuse = true;
		plan.uuid = uuid;
		if (isBlockDevice(mdPath(md.name)))
			return plan;
		// To be assembled: members held by another md device mean the
		// array already runs under another name.
		for (std::size_t i = 0; i < md.devices.size(); i++) {
			Result<std::optional<std::string>> busy = system::deviceInUse(plan.aliases[i], false);
			const std::string &dev = md.devices[i];
			if (!busy)
				return unexpected(busy.error().withContext("checking whether " + dev + " is in use"));
			if (*busy)
				return unexpected("cannot assemble RAID array " + go::quote(md.name) +
						  " (its devices already form it): " + **busy + ", but " +
						  mdPath(md.name) +
						  " does not exist; it may be running under another name (see "
						  "/proc/mdstat); nothing was changed. Stop it (mdadm --stop) or "
						  "name it as it runs");
		}
		return plan;
	}
	if (matching > 0)
		LOG(Disks, Warning) << matching << " of the " << md.devices.size() << " devices of "
				    << go::quote(md.name) << " carry an array of that name, but not all of them (or "
				    << "not one array): re-creating it, as Ignition does; what it held is lost";

	// mdadm --create --force over a mounted or held device fails half-way
	// or worse; refuse before any array is touched.
	for (std::size_t i = 0; i < md.devices.size(); i++) {
		Result<std::optional<std::string>> busy = system::deviceInUse(plan.aliases[i], true);
		if (!busy)
			return unexpected(busy.error().withContext("checking whether " + md.devices[i] + " is in use"));
		if (*busy)
			return unexpected("refusing to create RAID array " + go::quote(md.name) + " on " +
					  go::quote(md.devices[i]) + ": " + **busy +
					  "; nothing was changed. Unmount or stop using it first");
	}
	return plan;
}

// Ignition's mdadm --create argv.
std::vector<std::string> createArgv(const ArrayPlan &plan)
{
	const Raid &md = *plan.md;
	const long long spares = md.spares.value_or(0);
	std::vector<std::string> argv{ distro::kMdadmCmd,
				       "--create",
				       md.name,
				       "--force",
				       "--run",
				       "--homehost",
				       "any",
				       "--level",
				       md.level.value_or(""),
				       "--raid-devices",
				       std::to_string(static_cast<long long>(md.devices.size()) - spares) };
	if (spares > 0) {
		argv.push_back("--spare-devices");
		argv.push_back(std::to_string(spares));
	}
	argv.insert(argv.end(), md.options.begin(), md.options.end());
	argv.insert(argv.end(), plan.aliases.begin(), plan.aliases.end());
	return argv;
}

Result<void> waitForArray(const std::string &path, const Devices &devices)
{
	return log::logOperation("waiting for devices [" + path + "]", [&]() -> Result<void> {
		return system::waitForDevices({ path }, devices.context().deviceTimeout);
	});
}

std::string memberList(const Raid &md)
{
	std::string s;
	for (const std::string &d : md.devices)
		s += (s.empty() ? "" : ", ") + d;
	return s;
}

} // namespace

Result<void> createRaids(const config::Config &cfg, Devices &devices)
{
	const std::vector<Raid> &arrays = cfg.storage.raid;
	if (arrays.empty())
		return {};
	log::PrefixScope prefix("createRaids");

	std::vector<std::string> paths;
	for (const Raid &md : arrays)
		paths.insert(paths.end(), md.devices.begin(), md.devices.end());
	if (Result<void> r = devices.prepare(paths, "raids"); !r)
		return r;

	if (!system::execCapture({ distro::kMdadmCmd, "--version" }))
		return unexpected(std::string("cannot create RAID arrays: ") + go::quote(distro::kMdadmCmd) +
				  " is not installed (not found in $PATH); nothing was changed");

	// Every array's decision first: a busy member anywhere fails the step
	// before any array is created.
	std::vector<ArrayPlan> plans;
	for (const Raid &md : arrays) {
		Result<ArrayPlan> p = planArray(md, devices);
		if (!p)
			return unexpected(p.error());
		plans.push_back(std::move(*p));
	}

	for (const ArrayPlan &plan : plans) {
		const Raid &md = *plan.md;
		const std::string path = mdPath(md.name);
		const std::string what = md.level.value_or("") + ", " + std::to_string(md.devices.size()) +
					 " devices: " + memberList(md);
		if (plan.reuse) {
			if (isBlockDevice(path)) {
				LOG(Disks, Info) << "reused RAID array " << go::quote(md.name) << " (" << what
						 << ", uuid " << plan.uuid << "), already running as " << path;
				continue;
			}
			std::vector<std::string> argv{ distro::kMdadmCmd, "--assemble", path };
			argv.insert(argv.end(), plan.aliases.begin(), plan.aliases.end());
			if (Result<void> r = runLogged(argv, "assembling " + go::quote(md.name)); !r)
				return unexpected(r.error().withContext("mdadm failed"));
			if (Result<void> r = waitForArray(path, devices); !r)
				return unexpected(
					r.error().withContext("waiting for RAID array " + go::quote(md.name)));
			LOG(Disks, Info) << "reused RAID array " << go::quote(md.name) << " (" << what << ", uuid "
					 << plan.uuid << "): assembled as " << path;
			continue;
		}
		if (Result<void> r = runLogged(createArgv(plan), "creating " + go::quote(md.name)); !r)
			return unexpected(r.error().withContext("mdadm failed"));
		if (Result<void> r = waitForArray(path, devices); !r)
			return unexpected(r.error().withContext("waiting for RAID array " + go::quote(md.name)));
		LOG(Disks, Info) << "created RAID array " << go::quote(md.name) << " (" << what << ") as " << path;
	}
	return {};
}

} // namespace flint::stages::disks
