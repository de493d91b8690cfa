// Partitioning: Ignition's sgdisk engine, planned for every disk before the first disk is changed.
#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstdio>
#include <set>
#include <sys/stat.h>

#include "disks_internal.h"
#include "flint/base/go.h"
#include "flint/system/blockdev.h"
#include "flint/system/devices.h"
#include "flint/system/distro.h"
#include "flint/system/sgdisk.h"
#include "partitions_plan.h"

namespace flint::stages::disks {

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

std::optional<system::PartitionEntry> findEntry(const system::PartitionTable &table, int number)
{
	for (const system::PartitionEntry &e : table.partitions)
		if (e.number == number)
			return e;
	return std::nullopt;
}

bool equalFold(const std::string &a, const std::string &b)
{
	if (a.size() != b.size())
		return false;
	for (std::size_t i = 0; i < a.size(); i++)
		if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
			return false;
	return true;
}

std::string labelText(const std::optional<std::string> &label)
{
	return label && !label->empty() ? " " + go::quote(*label) : "";
}

// Where a wanted value came from, appended inside "config wants N sectors (M MiB...)".
std::string sourceNote(SectorSource s, std::string_view field)
{
	switch (s) {
	case SectorSource::Sgdisk:
		return field == "start" ? ", from startMiB 0 or unset: the start of the largest free block"
					: ", from sizeMiB 0 or unset: up to the end of the free space";
	case SectorSource::Existing:
		return ", kept from the existing partition";
	default:
		return "";
	}
}

// "100 MiB", or "52.98 MiB" when not whole.
std::string mibText(std::uint64_t sectors, std::uint64_t sectorSize)
{
	const std::uint64_t bytes = sectors * sectorSize;
	if (bytes % kMiB == 0)
		return std::to_string(bytes / kMiB) + " MiB";
	char buf[64];
	std::snprintf(buf, sizeof(buf), "%.2f MiB", static_cast<double>(bytes) / kMiB);
	return buf;
}

// Every way the existing partition differs from the wanted one, in
// Ignition's order of checks. commonDiffers: something other than the size
// differs (what resize cannot fix).
std::vector<std::string> differences(const system::PartitionEntry &have, const WantedPartition &want,
				     std::uint64_t sectorSize, bool &commonDiffers)
{
	std::vector<std::string> out;
	commonDiffers = false;
	if (want.start && *want.start != have.start) {
		commonDiffers = true;
		out.push_back("starts at sector " + std::to_string(have.start) + " (" + mibText(have.start, sectorSize) +
			      "), config wants sector " + std::to_string(*want.start) + " (" +
			      mibText(*want.start, sectorSize) + sourceNote(want.startSource, "start") + ")");
	}
	if (want.guid && !want.guid->empty() && !equalFold(*want.guid, have.guid)) {
		commonDiffers = true;
		out.push_back("GUID is " + go::quote(have.guid) + ", config wants " + go::quote(*want.guid));
	}
	if (want.typeGuid && !want.typeGuid->empty() && !equalFold(*want.typeGuid, have.typeGuid)) {
		commonDiffers = true;
		out.push_back("type GUID is " + go::quote(have.typeGuid) + ", config wants " + go::quote(*want.typeGuid));
	}
	if (want.label && *want.label != have.label) {
		commonDiffers = true;
		out.push_back("label is " + go::quote(have.label) + ", config wants " + go::quote(*want.label));
	}
	if (want.size && *want.size != have.size)
		out.push_back("size is " + sectorsText(have.size, sectorSize) + ", config wants " +
			      std::to_string(*want.size) + " sectors (" + mibText(*want.size, sectorSize) +
			      sourceNote(want.sizeSource, "size") + ")");
	return out;
}

std::string joined(const std::vector<std::string> &v, std::string_view sep)
{
	std::string s;
	for (const std::string &x : v)
		s += (s.empty() ? "" : std::string(sep)) + x;
	return s;
}

} // namespace

std::string sectorsText(std::uint64_t sectors, std::uint64_t sectorSize)
{
	return std::to_string(sectors) + " sectors (" + mibText(sectors, sectorSize) + ")";
}

std::vector<WantedPartition> resolvePartitions(const std::vector<config::Partition> &partitions,
					       const system::PartitionTable &table)
{
	const std::uint64_t perMiB = kMiB / table.logicalSectorSize;
	std::map<int, bool> used;
	for (const system::PartitionEntry &e : table.partitions)
		used[e.number] = true;

	std::vector<const config::Partition *> sorted;
	for (const config::Partition &p : partitions)
		if (p.number != 0)
			sorted.push_back(&p);
	for (const config::Partition &p : partitions)
		if (p.number == 0)
			sorted.push_back(&p);

	std::vector<WantedPartition> wanted;
	for (const config::Partition *p : sorted) {
		WantedPartition w;
		w.number = static_cast<int>(p->number);
		w.autoNumber = p->number == 0;
		w.shouldExist = p->shouldExist.value_or(true);
		w.wipeEntry = p->wipePartitionEntry.value_or(false);
		w.resize = p->resize.value_or(false);
		if (p->startMiB) {
			w.start = static_cast<std::uint64_t>(*p->startMiB) * perMiB;
			w.startSource = SectorSource::Config;
		}
		if (p->sizeMiB) {
			w.size = static_cast<std::uint64_t>(*p->sizeMiB) * perMiB;
			w.sizeSource = SectorSource::Config;
		}
		w.label = p->label;
		w.guid = p->guid;
		w.typeGuid = p->typeGuid;
		if (!w.autoNumber) {
			// Not given means "keep what is there" unless the entry may be wiped.
			if (std::optional<system::PartitionEntry> e = findEntry(table, w.number); e && !w.wipeEntry) {
				if (!w.start) {
					w.start = e->start;
					w.startSource = SectorSource::Existing;
				}
				if (!w.size) {
					w.size = e->size;
					w.sizeSource = SectorSource::Existing;
				}
			}
			used[w.number] = w.shouldExist;
		}
		wanted.push_back(std::move(w));
	}

	// Number 0 takes the lowest number that is neither on the disk (and
	// kept) nor configured to exist: the number sgdisk --new=0 picks.
	int free = 1;
	for (WantedPartition &w : wanted) {
		if (!w.shouldExist)
			continue;
		if (w.autoNumber) {
			while (used[free])
				free++;
			w.number = free;
			used[free] = true;
		}
		w.inspect = !w.start || *w.start == 0 || !w.size || *w.size == 0;
	}
	return wanted;
}

system::SgdiskOperation geometryOperation(const std::string &device, bool wipe,
					  const std::vector<WantedPartition> &wanted,
					  const system::PartitionTable &table)
{
	system::SgdiskOperation op(device);
	for (const WantedPartition &w : wanted) {
		if (!w.autoNumber && findEntry(table, w.number))
			op.deletePartition(w.number);
		if (w.shouldExist)
			op.createPartition(system::SgdiskPartition{ w.number, w.start.value_or(0), w.size.value_or(0),
								    std::nullopt, w.typeGuid, w.guid });
	}
	for (const WantedPartition &w : wanted)
		if (w.shouldExist && w.inspect)
			op.info(w.number);
	if (wipe && !op.empty())
		op.wipeTable(true);
	return op;
}

Result<void> applyGeometry(std::vector<WantedPartition> &wanted, const std::map<int, system::SgdiskGeometry> &geometry)
{
	for (WantedPartition &w : wanted) {
		if (!w.shouldExist || !w.inspect)
			continue;
		auto g = geometry.find(w.number);
		if (g == geometry.end())
			return unexpected("sgdisk did not report the geometry of partition " + std::to_string(w.number));
		if (!w.start || *w.start == 0)
			w.startSource = SectorSource::Sgdisk;
		if (!w.size || *w.size == 0)
			w.sizeSource = SectorSource::Sgdisk;
		w.start = g->second.start;
		w.size = g->second.end - g->second.start + 1;
	}
	return {};
}

Result<std::vector<PartitionStep>> decidePartitions(const std::string &device,
						    const std::vector<WantedPartition> &wanted,
						    const system::PartitionTable &table)
{
	std::vector<PartitionStep> steps;
	for (const WantedPartition &w : wanted) {
		PartitionStep step;
		step.want = w;
		// A number-0 partition is new by definition, even when it takes
		// the number of one deleted in the same run.
		if (!w.autoNumber)
			step.existing = findEntry(table, w.number);
		const std::string which = "partition " + std::to_string(w.number) + " on " + device;

		if (!step.existing) {
			step.action = w.shouldExist ? PartitionAction::Create : PartitionAction::Nothing;
		} else if (!w.shouldExist) {
			if (!w.wipeEntry)
				return unexpected(which +
						  " exists but is specified as nonexistant and wipePartitionEntry is false; "
						  "set wipePartitionEntry: true to delete it (its contents are lost)");
			step.action = PartitionAction::Delete;
		} else {
			bool commonDiffers = false;
			std::vector<std::string> diffs =
				differences(*step.existing, w, table.logicalSectorSize, commonDiffers);
			step.mismatch = joined(diffs, "; ");
			if (diffs.empty()) {
				step.action = PartitionAction::Keep;
			} else if (w.wipeEntry) {
				step.action = PartitionAction::Recreate;
			} else if (w.resize && !commonDiffers) {
				// Resized in place: same number, start, GUIDs and label.
				step.action = PartitionAction::Resize;
				step.want.start = step.existing->start;
				step.want.guid = step.existing->guid;
				step.want.typeGuid = step.existing->typeGuid;
				step.want.label = step.existing->label;
			} else {
				std::string hint;
				if (!commonDiffers) {
					const bool grow = *w.size > step.existing->size;
					hint = grow ? "set resize: true to grow it or wipePartitionEntry: true to recreate it"
						    : "set resize: true to shrink it (data past the new end is lost) or "
						      "wipePartitionEntry: true to recreate it";
				} else if (w.resize) {
					hint = "resize: true only applies when everything but the size matches; set "
					       "wipePartitionEntry: true to recreate it (its contents are lost) or change the "
					       "config to match";
				} else {
					hint = "set wipePartitionEntry: true to recreate it (its contents are lost) or change "
					       "the config to match";
				}
				return unexpected(which + " didn't match: " + step.mismatch + "; " + hint);
			}
		}
		steps.push_back(std::move(step));
	}
	return steps;
}

system::SgdiskOperation commitOperation(const std::string &device, const std::vector<PartitionStep> &steps)
{
	system::SgdiskOperation op(device);
	for (const PartitionStep &s : steps) {
		switch (s.action) {
		case PartitionAction::Delete:
		case PartitionAction::Resize:
		case PartitionAction::Recreate:
			op.deletePartition(s.want.number);
			break;
		default:
			break;
		}
	}
	for (const PartitionStep &s : steps) {
		switch (s.action) {
		case PartitionAction::Create:
		case PartitionAction::Resize:
		case PartitionAction::Recreate: {
			const WantedPartition &w = s.want;
			op.createPartition(system::SgdiskPartition{ w.number, w.start.value_or(0), w.size.value_or(0),
								    w.label, w.typeGuid, w.guid });
			break;
		}
		default:
			break;
		}
	}
	return op;
}

std::string stepText(const PartitionStep &step)
{
	const WantedPartition &w = step.want;
	const std::string n = std::to_string(w.number);
	auto geometry = [](std::uint64_t start, std::uint64_t size) {
		return "(start " + std::to_string(start) + ", " + std::to_string(size) + " sectors)";
	};
	switch (step.action) {
	case PartitionAction::Nothing:
		return "partition " + n + " is absent, as configured";
	case PartitionAction::Create:
		return "created partition " + n + labelText(w.label) + " " + geometry(*w.start, *w.size);
	case PartitionAction::Keep:
		return "kept partition " + n + labelText(step.existing->label) + " " +
		       geometry(step.existing->start, step.existing->size);
	case PartitionAction::Delete:
		return "deleted partition " + n + labelText(step.existing->label) + " " +
		       geometry(step.existing->start, step.existing->size);
	case PartitionAction::Resize:
		return "resized partition " + n + labelText(w.label) + " from " + std::to_string(step.existing->size) +
		       " to " + std::to_string(*w.size) + " sectors (start " + std::to_string(*w.start) + ")";
	case PartitionAction::Recreate:
		return "recreated partition " + n + labelText(w.label) + " " + geometry(*w.start, *w.size) +
		       " (was" + labelText(step.existing->label) + " " +
		       geometry(step.existing->start, step.existing->size) + ")";
	}
	return {};
}

namespace {

// One disk's plan: everything decided and checked, nothing changed yet.
struct DiskPlan {
	const config::Disk *disk = nullptr;
	std::string alias; // what the tools run on
	std::string node;  // the resolved device node, for messages and udev
	std::string where; // the config path, with the node when it differs
	bool wipe = false;
	system::PartitionTable table; // as read (blank when the table is wiped)
	std::vector<WantedPartition> wanted;
	std::vector<PartitionStep> steps;
};

std::string resolvePath(const std::string &p)
{
	char buf[PATH_MAX];
	return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

std::string nodeOfPartition(const std::vector<system::KernelPartition> &kernel, int number)
{
	for (const system::KernelPartition &k : kernel)
		if (k.number == number)
			return "/dev/" + k.name;
	return {};
}

// The numbers sgdisk changes: those deleted, created or rewritten.
bool changes(PartitionAction a)
{
	return a == PartitionAction::Create || a == PartitionAction::Delete || a == PartitionAction::Resize ||
	       a == PartitionAction::Recreate;
}

// Refuses, before anything is changed, to touch a disk or partition that is
// mounted, used as swap or held. A mounted partition makes the whole disk
// look claimed too, so the disk itself is only checked when none of its
// partitions is busy (a partition in use and the whole disk in use exclude
// each other).
Result<void> checkBusy(const DiskPlan &plan)
{
	Result<std::vector<system::KernelPartition>> kernel = system::kernelPartitions(plan.alias);
	if (!kernel)
		return unexpected(kernel.error().withContext("checking whether " + plan.where + " is in use"));
	std::map<int, std::string> busy; // number -> why
	for (const system::KernelPartition &k : *kernel) {
		Result<std::optional<std::string>> why = system::deviceInUse("/dev/" + k.name, false);
		if (!why)
			return unexpected(why.error().withContext("checking whether " + plan.where + " is in use"));
		if (*why)
			busy[k.number] = **why;
	}
	if (busy.empty()) {
		Result<std::optional<std::string>> why = system::deviceInUse(plan.alias, false);
		if (!why)
			return unexpected(why.error().withContext("checking whether " + plan.where + " is in use"));
		if (*why)
			return unexpected("refusing to operate on directly active disk " + plan.where + ": " + **why +
					  "; unmount it or stop what holds it first");
		return {};
	}
	if (plan.wipe)
		return unexpected("refusing to wipe active disk " + plan.where + ": " + busy.begin()->second +
				  "; unmount it or stop what holds it first, or drop wipeTable");
	for (const PartitionStep &s : plan.steps) {
		if (!changes(s.action) || !busy.count(s.want.number))
			continue;
		std::string what = s.action == PartitionAction::Create	 ? "replaced by a new partition"
				   : s.action == PartitionAction::Delete ? "deleted"
				   : s.action == PartitionAction::Resize ? "resized"
									 : "recreated";
		return unexpected("refusing to modify active partition " + std::to_string(s.want.number) + " on " +
				  plan.where + " (it would be " + what + "): " + busy[s.want.number] +
				  "; unmount it or stop what holds it first");
	}
	// A partition in use that the kernel knows from an older table: the
	// kernel could not be brought in line with the new one afterwards.
	std::map<int, std::pair<std::uint64_t, std::uint64_t>> after; // number -> start, size (logical sectors)
	for (const system::PartitionEntry &e : plan.table.partitions)
		after[e.number] = { e.start, e.size };
	for (const PartitionStep &s : plan.steps) {
		if (s.action == PartitionAction::Delete)
			after.erase(s.want.number);
		else if (changes(s.action))
			after[s.want.number] = { *s.want.start, *s.want.size };
	}
	const std::uint64_t per = plan.table.logicalSectorSize / 512;
	for (const system::KernelPartition &k : *kernel) {
		if (!busy.count(k.number))
			continue;
		auto f = after.find(k.number);
		if (f == after.end())
			return unexpected("refusing to partition " + plan.where + ": " + busy[k.number] + ", but the " +
					  "partition table has no partition " + std::to_string(k.number) +
					  " (the kernel's view is stale); unmount it or stop what holds it first");
		if (f->second.first * per != k.start || f->second.second * per != k.size)
			return unexpected("refusing to partition " + plan.where + ": " + busy[k.number] + ", but the " +
					  "kernel has it at start " + std::to_string(k.start) + ", " +
					  std::to_string(k.size) + " 512-byte sectors, and the partition table at start " +
					  std::to_string(f->second.first * per) + ", " +
					  std::to_string(f->second.second * per) +
					  " (the kernel's view is stale); unmount it or stop what holds it first");
	}
	return {};
}

Result<DiskPlan> planDisk(const config::Disk &disk, const Devices &devices)
{
	DiskPlan plan;
	plan.disk = &disk;
	plan.alias = devices.alias(disk.device);
	plan.node = resolvePath(plan.alias);
	plan.where = plan.node == disk.device ? disk.device : disk.device + " (" + plan.node + ")";
	plan.wipe = disk.wipeTable.value_or(false);

	for (const config::Partition &p : disk.partitions) {
		const std::string which = "partition " + std::to_string(p.number) + " on " + plan.where;
		if (p.number < 0 || p.number > INT_MAX)
			return unexpected(which + ": the number must be 0 (the next free one) or a partition number");
		for (const auto &[field, v] : { std::pair{ "startMiB", p.startMiB }, std::pair{ "sizeMiB", p.sizeMiB } })
			if (v && (*v < 0 || static_cast<std::uint64_t>(*v) > UINT64_MAX / kMiB))
				return unexpected(which + ": " + field + " is " + std::to_string(*v) +
						  ", which is no size on any disk");
	}

	if (plan.wipe) {
		// The plan is made against the blank table the wipe will leave;
		// the wipe itself comes with the commit.
		Result<std::uint64_t> ss = system::logicalSectorSize(plan.alias);
		if (!ss)
			return unexpected(ss.error());
		plan.table.logicalSectorSize = *ss;
	} else {
		Result<void> read = log::logOperation("reading partition table of " + go::quote(plan.alias), [&]() {
			Result<system::PartitionTable> t = system::readPartitionTable(plan.alias);
			if (!t)
				return Result<void>(unexpected(t.error()));
			plan.table = std::move(*t);
			return Result<void>();
		});
		if (!read)
			return unexpected(read.error());
	}

	plan.wanted = resolvePartitions(disk.partitions, plan.table);
	system::SgdiskOperation pretend = geometryOperation(plan.alias, plan.wipe, plan.wanted, plan.table);
	Result<std::map<int, system::SgdiskGeometry>> geometry = pretend.pretend();
	if (!geometry)
		return unexpected(geometry.error());
	if (Result<void> r = applyGeometry(plan.wanted, *geometry); !r)
		return unexpected(r.error().withContext(plan.where));

	Result<std::vector<PartitionStep>> steps = decidePartitions(plan.where, plan.wanted, plan.table);
	if (!steps)
		return unexpected(steps.error());
	plan.steps = std::move(*steps);
	// Ignition's words for each decision.
	for (const PartitionStep &s : plan.steps) {
		const int n = s.want.number;
		switch (s.action) {
		case PartitionAction::Nothing:
			LOG(Disks, Info) << "partition " << n << " specified as nonexistant and no partition was found. Success.";
			break;
		case PartitionAction::Keep:
			LOG(Disks, Info) << "partition " << n << " found with correct specifications";
			break;
		case PartitionAction::Resize:
			LOG(Disks, Info) << "resizing partition " << n << " (" << s.mismatch << ")";
			break;
		case PartitionAction::Recreate:
			LOG(Disks, Info) << "partition " << n
					 << " did not meet specifications, wiping partition entry and recreating ("
					 << s.mismatch << ")";
			break;
		default:
			break;
		}
	}

	if (Result<void> r = checkBusy(plan); !r)
		return unexpected(r.error());
	return plan;
}

// Checks the kernel's view of the disk against the plan: every partition
// that should exist there with the planned start and size (sysfs counts
// 512-byte sectors), every deleted one gone.
Result<void> verifyKernel(const DiskPlan &plan)
{
	Result<std::vector<system::KernelPartition>> kernel = system::kernelPartitions(plan.alias);
	if (!kernel)
		return unexpected(kernel.error());
	const std::uint64_t per = plan.table.logicalSectorSize / 512;
	std::set<int> present;
	for (const PartitionStep &s : plan.steps)
		if (s.action != PartitionAction::Nothing && s.action != PartitionAction::Delete)
			present.insert(s.want.number);
	for (const PartitionStep &s : plan.steps) {
		const int n = s.want.number;
		const std::string node = nodeOfPartition(*kernel, n);
		if (s.action == PartitionAction::Delete && !present.count(n)) {
			if (!node.empty())
				return unexpected("partition " + std::to_string(n) + " of " + plan.where +
						  " was deleted, but the kernel still has it as " + node);
			continue;
		}
		if (!present.count(n))
			continue;
		if (node.empty())
			return unexpected("partition " + std::to_string(n) + " of " + plan.where +
					  " is in the new table, but the kernel does not know it");
		struct stat st;
		if (stat(node.c_str(), &st) != 0 || !S_ISBLK(st.st_mode))
			return unexpected("partition " + std::to_string(n) + " of " + plan.where +
					  " is known to the kernel, but its device node " + node + " is missing");
		const system::KernelPartition *k = nullptr;
		for (const system::KernelPartition &kp : *kernel)
			if (kp.number == n)
				k = &kp;
		std::uint64_t start = s.action == PartitionAction::Keep ? s.existing->start : *s.want.start;
		std::uint64_t size = s.action == PartitionAction::Keep ? s.existing->size : *s.want.size;
		if (k->start != start * per || k->size != size * per)
			return unexpected("kernel partition geometry for " + node + " does not match expected: the kernel has "
					  "start " + std::to_string(k->start) + ", " + std::to_string(k->size) +
					  " 512-byte sectors, the plan has start " + std::to_string(start * per) + ", " +
					  std::to_string(size * per) + " 512-byte sectors");
	}
	return {};
}

Result<void> commitDisk(DiskPlan &plan)
{
	if (plan.wipe) {
		LOG(Disks, Info) << "wiping partition table requested on " << go::quote(plan.alias);
		system::SgdiskOperation wipe(plan.alias);
		wipe.wipeTable(true);
		if (Result<void> r = wipe.commit(); !r)
			return r;
		// The plan's pretend ran against a table cleared in memory; ask
		// again against the wiped disk, as Ignition does, in case sgdisk
		// sees the blank disk differently.
		bool inspect = false;
		for (const WantedPartition &w : plan.wanted)
			inspect = inspect || (w.shouldExist && w.inspect);
		if (inspect) {
			std::vector<WantedPartition> again = resolvePartitions(plan.disk->partitions, plan.table);
			Result<std::map<int, system::SgdiskGeometry>> geometry =
				geometryOperation(plan.alias, false, again, plan.table).pretend();
			if (!geometry)
				return unexpected(geometry.error());
			if (Result<void> r = applyGeometry(again, *geometry); !r)
				return unexpected(r.error().withContext(plan.where));
			for (std::size_t i = 0; i < again.size() && i < plan.steps.size(); i++) {
				WantedPartition &w = plan.steps[i].want;
				if (w.start != again[i].start || w.size != again[i].size)
					LOG(Disks, Debug) << "partition " << w.number << " on the wiped disk: start "
							  << again[i].start.value_or(0) << ", size "
							  << again[i].size.value_or(0) << " (planned " << w.start.value_or(0)
							  << ", " << w.size.value_or(0) << ")";
				w.start = again[i].start;
				w.size = again[i].size;
			}
		}
	}

	system::SgdiskOperation op = commitOperation(plan.alias, plan.steps);
	if (Result<void> r = op.commit(); !r)
		return unexpected(r.error().withContext("commit failure"));

	// The kernel's partitions, from the table as it is now on disk: this
	// host's kernel may not read GPT itself, and sgdisk's re-read fails
	// while any partition of the disk is in use.
	Result<system::PartitionTable> now = system::readPartitionTable(plan.alias);
	if (!now)
		return unexpected(now.error().withContext("reading the new partition table of " + plan.where));
	std::vector<int> changed;
	for (const PartitionStep &s : plan.steps)
		if (changes(s.action))
			changed.push_back(s.want.number);
	if (Result<void> r = system::syncKernelPartitions(plan.alias, *now, changed); !r)
		return unexpected(r.error());

	// Where udev runs, let it finish with the new partition nodes before
	// anything looks for their by-label links (Ignition HEAD).
	if (system::udevRunning()) {
		if (Result<void> r = runLogged({ distro::kUdevadmCmd, "trigger", "--settle", plan.node },
					       "waiting for triggered uevent");
		    !r)
			return unexpected(r.error().withContext("failed to wait for udev on " + go::quote(plan.alias) +
								" after partitioning: udevadm trigger failed"));
	}

	if (Result<void> r = verifyKernel(plan); !r)
		return r;
	for (const PartitionStep &s : plan.steps)
		if (s.action != PartitionAction::Nothing)
			LOG(Disks, Info) << stepText(s);
	return {};
}

} // namespace

Result<void> createPartitions(const config::Config &cfg, Devices &devices)
{
	const std::vector<config::Disk> &disks = cfg.storage.disks;
	if (disks.empty())
		return {};
	log::PrefixScope prefix("createPartitions");

	// Ignition waits for every disk, then aliases them.
	std::vector<std::string> paths;
	for (const config::Disk &d : disks)
		paths.push_back(d.device);
	if (Result<void> r = devices.prepare(paths, "disks"); !r)
		return r;

	// Two config paths naming one disk would be planned against the same
	// old table and then committed one after the other.
	std::map<std::string, std::string> byNode;
	for (const config::Disk &d : disks) {
		std::string node = resolvePath(devices.alias(d.device));
		auto [it, fresh] = byNode.emplace(node, d.device);
		if (!fresh)
			return unexpected("disks " + go::quote(it->second) + " and " + go::quote(d.device) +
					  " are the same device " + node + "; list it once, with all its partitions. "
					  "Nothing was changed");
	}

	// Every disk is planned (table read, geometry resolved, decisions made,
	// busy devices refused) before any disk is changed, so a problem on the
	// last disk leaves the first untouched too.
	std::vector<DiskPlan> plans;
	for (const config::Disk &d : disks) {
		DiskPlan plan;
		Result<void> r = log::logOperation("planning partitions of " + go::quote(devices.alias(d.device)),
						   [&]() -> Result<void> {
							   Result<DiskPlan> p = planDisk(d, devices);
							   if (!p)
								   return unexpected(p.error());
							   plan = std::move(*p);
							   return {};
						   });
		if (!r)
			return unexpected(Error(r.error().message() + "; no disk was changed", r.error().errnum()));
		plans.push_back(std::move(plan));
	}

	for (DiskPlan &plan : plans) {
		Result<void> r = log::logOperation("partitioning " + go::quote(plan.alias),
						   [&]() { return commitDisk(plan); });
		if (!r)
			return r;
	}
	return {};
}

} // namespace flint::stages::disks
