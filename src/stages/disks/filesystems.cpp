// Filesystems: probe every device, decide reuse, refusal or creation for all of them, then wipe and mkfs concurrently.
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>

#include "disks_internal.h"
#include "flint/base/go.h"
#include "flint/system/blockdev.h"
#include "flint/system/devices.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

namespace flint::stages::disks {

namespace {

using config::Filesystem;

// Ignition's ErrBadFilesystem: kept at the start of the refusal so scripts
// that match Ignition's text still match.
constexpr std::string_view kErrBadFilesystem = "filesystem is not of the correct type";

// Ignition's canonicalizeFilesystemUUID: lower case, and a FAT volume ID's
// dash ("A1B2-C3D4", as blkid prints it) removed, as mkfs.fat wants it.
std::string canonicalUuid(std::string_view format, std::string uuid)
{
	for (char &c : uuid)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	if (format == "vfat" && uuid.size() >= 5 && uuid[4] == '-')
		uuid.erase(4, 1);
	return uuid;
}

// A label as it reads in a log line: bare when it is a plain word.
std::string showLabel(const std::string &label)
{
	for (char c : label)
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.'))
			return go::quote(label);
	return label.empty() ? go::quote(label) : label;
}

// "ext4 label=var uuid=...", leaving out what is empty.
std::string describe(const std::string &type, const std::string &label, const std::string &uuid)
{
	std::string s = type;
	if (!label.empty())
		s += " label=" + showLabel(label);
	if (!uuid.empty())
		s += " uuid=" + uuid;
	return s;
}

std::string resolvePath(const std::string &p)
{
	char buf[PATH_MAX];
	return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

// The device a config path names, for messages: "/dev/disk/by-label/x
// (/dev/vdb1)", or just the path when it is the node itself.
std::string showDevice(const std::string &configPath, const std::string &node)
{
	return node.empty() || node == configPath ? configPath : configPath + " (" + node + ")";
}

// The whole disk a partition belongs to ("vdb" for "vdb1"), or empty.
std::string parentDisk(const std::string &kname)
{
	const std::string sys = "/sys/class/block/" + kname;
	std::string partition = sys + "/partition";
	if (access(partition.c_str(), F_OK) != 0)
		return {};
	return go::pathBase(go::pathDir(resolvePath(sys)));
}

// Whether a tool can be started at all (it is installed): runs it with an
// argument that only prints its version or usage.
bool toolStarts(const std::string &cmd, const std::string &versionFlag)
{
	Result<system::ExecOutput> o = system::execCapture({ cmd, versionFlag });
	return o.has_value();
}

// The mkfs command for a format, with the flag that makes it print its
// version, or nullopt for "none" (or an unknown format).
struct MkfsTool {
	std::string cmd;
	std::string versionFlag;
};

std::optional<MkfsTool> mkfsTool(const std::string &format)
{
	if (format == "ext4")
		return MkfsTool{ distro::kExt4MkfsCmd, "-V" };
	if (format == "xfs")
		return MkfsTool{ distro::kXfsMkfsCmd, "-V" };
	if (format == "btrfs")
		return MkfsTool{ distro::kBtrfsMkfsCmd, "--version" };
	if (format == "swap")
		return MkfsTool{ distro::kSwapMkfsCmd, "--version" };
	if (format == "vfat")
		return MkfsTool{ distro::kVfatMkfsCmd, "--help" };
	return std::nullopt;
}

// Ignition's mkfs argv: the config's options first, then the tool's force
// flag, UUID and label, then the device.
std::vector<std::string> mkfsArgv(const Filesystem &fs, const std::string &alias)
{
	const std::string &format = *fs.format;
	const MkfsTool tool = *mkfsTool(format);
	std::vector<std::string> argv{ tool.cmd };
	argv.insert(argv.end(), fs.options.begin(), fs.options.end());
	std::string uuidFlag = "-U", labelFlag = "-L";
	if (format == "btrfs") {
		argv.push_back("--force");
	} else if (format == "ext4") {
		argv.push_back("-F");
	} else if (format == "xfs") {
		argv.push_back("-f");
		uuidFlag = "-m";
	} else if (format == "swap") {
		argv.push_back("-f");
	} else if (format == "vfat") {
		// mkfs.fat has no force flag: it always overwrites.
		uuidFlag = "-i";
		labelFlag = "-n";
	}
	if (fs.uuid) {
		std::string uuid = canonicalUuid(format, *fs.uuid);
		argv.push_back(uuidFlag);
		argv.push_back(format == "xfs" ? "uuid=" + uuid : uuid);
	}
	if (fs.label) {
		argv.push_back(labelFlag);
		argv.push_back(*fs.label);
	}
	argv.push_back(alias);
	return argv;
}

// What to do with one filesystem, decided before anything is changed, and
// what happened when it was done.
struct Job {
	const Filesystem *fs = nullptr;
	std::string alias;
	std::string node; // the resolved device node
	system::FilesystemProbe found;
	bool create = false;

	// Filled in by the worker.
	struct Step {
		std::vector<std::string> argv;
		Result<void> result;
	};
	std::optional<Step> wipe, mkfs, udev;
	std::optional<system::FilesystemProbe> made; // probed after mkfs
};

// Why the existing filesystem cannot be kept, for the refusal.
std::string mismatch(const Filesystem &fs, const std::string &want, const system::FilesystemProbe &found)
{
	std::vector<std::string> why;
	if (found.type != want)
		why.push_back("the type differs");
	if (fs.label && found.label != *fs.label)
		why.push_back("the label differs");
	if (fs.uuid && canonicalUuid(found.type, found.uuid) != canonicalUuid(want, *fs.uuid))
		why.push_back("the UUID differs");
	std::string s;
	for (std::size_t i = 0; i < why.size(); i++)
		s += (i == 0 ? "" : i + 1 == why.size() ? " and " : ", ") + why[i];
	return s;
}

// Probes, logged as Ignition's "determining filesystem type" operation,
// followed by Ignition's "found ..." line.
Result<system::FilesystemProbe> probeLogged(const Filesystem &fs, const std::string &alias)
{
	system::FilesystemProbe info;
	auto probe = [&]() -> Result<void> {
		Result<system::FilesystemProbe> p = system::probeFilesystem(alias);
		if (!p)
			return unexpected(p.error());
		info = *p;
		if (info.ambivalent)
			LOG(Disks, Warning) << "querying filesystem field \"TYPE\" of " << go::quote(alias)
					    << ": found multiple filesystem types; using the first libblkid reports, "
					    << (info.type.empty() ? std::string("none") : info.type);
		return {};
	};
	Result<void> r = log::logOperation("determining filesystem type of " + go::quote(fs.device), probe);
	if (!r)
		return unexpected(r.error());
	LOG(Disks, Info) << "found " << info.type << " filesystem at " << go::quote(fs.device) << " with uuid "
			 << go::quote(info.uuid) << " and label " << go::quote(info.label);
	return info;
}

// Whether the filesystem found on the device can be kept (true), must be
// created (false), or is refused: a different filesystem without
// wipeFilesystem. `log` says whether to log the reuse.
Result<bool> keepExisting(const Job &job, bool log)
{
	const Filesystem &fs = *job.fs;
	const std::string format = *fs.format == "none" ? std::string() : *fs.format;
	const system::FilesystemProbe &found = job.found;
	const std::string where = showDevice(fs.device, job.node);

	if (!fs.wipeFilesystem.value_or(false)) {
		const bool uuidMatches =
			!fs.uuid || canonicalUuid(found.type, found.uuid) == canonicalUuid(format, *fs.uuid);
		const bool matches = found.type == format && (!fs.label || found.label == *fs.label) && uuidMatches;
		if (matches && !log)
			return true;
		if (matches) {
			LOG(Disks, Info) << "filesystem at " << go::quote(fs.device)
					 << " is already correctly formatted. Skipping mkfs...";
			if (format.empty())
				LOG(Disks, Info) << "left " << where << " without a filesystem (format none)";
			else
				LOG(Disks, Info) << "reused " << describe(found.type, found.label, found.uuid) << " on "
						 << where;
			return true;
		}
		if (!found.type.empty()) {
			std::string want = format.empty()
						   ? std::string("no filesystem (format none)")
						   : describe(format, fs.label.value_or(""), fs.uuid.value_or(""));
			return unexpected(std::string(kErrBadFilesystem) + ": " + where + " holds " +
					  describe(found.type, found.label, found.uuid) + ", but the config wants " +
					  want + " (" + mismatch(fs, format, found) +
					  ") and wipeFilesystem is not set; nothing was changed. Set wipeFilesystem: "
					  "true to replace it (its data will be lost), or make the config match it");
		}
	}
	return false;
}

// Decides what to do with fs. Reuse and nothing-to-do leave job.create
// false; a refusal is an error.
Result<void> plan(Job &job)
{
	Result<bool> keep = keepExisting(job, true);
	if (!keep)
		return unexpected(keep.error());
	if (*keep)
		return {};
	const Filesystem &fs = *job.fs;
	const std::string format = *fs.format == "none" ? std::string() : *fs.format;
	const std::string where = showDevice(fs.device, job.node);

	Result<std::optional<std::string>> busy = system::deviceInUse(job.alias, true);
	if (!busy)
		return unexpected(busy.error().withContext("checking whether " + where + " is in use"));
	if (*busy) {
		const std::string purpose =
			format.empty() ? std::string("format none") : "the " + format + " filesystem";
		return unexpected("refusing to wipe " + where + " for " + purpose + ": " + **busy +
				  "; nothing was changed. Unmount or stop using it first");
	}
	job.create = true;
	return {};
}

// Runs one job's commands: wipefs, mkfs, the udev event; no logging (the
// main thread logs in config order).
void work(Job &job, bool udev)
{
	const Filesystem &fs = *job.fs;
	job.wipe = Job::Step{ { distro::kWipefsCmd, "-a", job.alias }, {} };
	job.wipe->result = system::runTool(job.wipe->argv);
	if (!job.wipe->result || *fs.format == "none")
		return;
	job.mkfs = Job::Step{ mkfsArgv(fs, job.alias), {} };
	job.mkfs->result = system::runTool(job.mkfs->argv);
	if (!job.mkfs->result)
		return;
	if (udev) {
		// HEAD's waitForUdev: trigger an event on the node itself (not
		// the alias) and wait for udev to have handled it, so the
		// by-label/by-uuid links are in place.
		job.udev = Job::Step{ { distro::kUdevadmCmd, "trigger", "--settle", job.node }, {} };
		job.udev->result = system::runTool(job.udev->argv);
		if (!job.udev->result)
			return;
	}
	if (Result<system::FilesystemProbe> p = system::probeFilesystem(job.alias); p)
		job.made = *p;
}

// Replays a finished step as Ignition's LogCmd operation.
Result<void> logStep(const Job::Step &step, const std::string &what)
{
	return log::logOperation(what, [&]() -> Result<void> {
		LOG(Disks, Debug) << "executing: " << system::quotedCommand(step.argv);
		return step.result;
	});
}

// Logs a finished job in Ignition's words; returns its error.
Result<void> report(const Job &job)
{
	const Filesystem &fs = *job.fs;
	if (job.wipe) {
		Result<void> r = logStep(*job.wipe, "wiping filesystem signatures from " + go::quote(job.alias));
		if (!r)
			return unexpected(r.error().withContext("wipefs failed"));
	}
	if (job.mkfs) {
		if (Result<void> r = logStep(*job.mkfs, "creating " + go::quote(*fs.format) + " filesystem on " +
								go::quote(job.alias));
		    !r)
			return unexpected(r.error().withContext("mkfs failed"));
	}
	if (job.udev) {
		if (Result<void> r = logStep(*job.udev, "waiting for triggered uevent"); !r)
			return unexpected(r.error()
						  .withContext("udevadm trigger failed")
						  .withContext("failed to wait for udev on " + go::quote(job.alias) +
							       " after formatting"));
	}
	const std::string where = showDevice(fs.device, job.node);
	std::string wiped;
	if (!job.found.type.empty())
		wiped = " (wiped " + describe(job.found.type, job.found.label, job.found.uuid) + ")";
	if (*fs.format == "none") {
		LOG(Disks, Info) << "wiped " << where << ", left without a filesystem (format none)" << wiped;
		return {};
	}
	const system::FilesystemProbe made = job.made.value_or(system::FilesystemProbe{});
	LOG(Disks, Info) << "created "
			 << describe(*fs.format, job.made ? made.label : fs.label.value_or(""),
				     job.made ? made.uuid : fs.uuid.value_or(""))
			 << " on " << where << wiped;
	return {};
}

// How many mkfs may run at once: the CPUs this process may use, as Go's
// GOMAXPROCS (Ignition's bound).
std::size_t cpuCount()
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return static_cast<std::size_t>(CPU_COUNT(&set));
	unsigned n = std::thread::hardware_concurrency();
	return n > 0 ? n : 1;
}

// Runs work() for every job, at most `limit` at a time, and calls done(i)
// on this thread for each job in order as soon as it and every job before
// it have finished: logs come out in config order whatever finishes first.
void runOrdered(std::vector<Job *> &jobs, std::size_t limit, bool udev, const std::function<void(std::size_t)> &done)
{
	std::mutex mutex;
	std::condition_variable cv;
	std::vector<bool> finished(jobs.size(), false);
	std::atomic<std::size_t> next{ 0 };
	auto worker = [&]() {
		for (;;) {
			std::size_t i = next++;
			if (i >= jobs.size())
				return;
			work(*jobs[i], udev);
			{
				std::lock_guard<std::mutex> lock(mutex);
				finished[i] = true;
			}
			cv.notify_all();
		}
	};
	std::vector<std::thread> threads;
	try {
		for (std::size_t k = 0; k < std::min(limit, jobs.size()); k++)
			threads.emplace_back(worker);
	} catch (const std::system_error &) {
		// No more threads: those started do the rest; with none, this
		// thread does it all.
	}
	if (threads.empty())
		worker();
	for (std::size_t i = 0; i < jobs.size(); i++) {
		{
			std::unique_lock<std::mutex> lock(mutex);
			cv.wait(lock, [&] { return finished[i]; });
		}
		done(i);
	}
	for (std::thread &t : threads)
		t.join();
}

// Two filesystems on one device, or one on a whole disk and another on
// its partition, would overwrite each other when either is made: refused
// before any change. (Two entries that both reuse one btrfs, mounting
// different subvolumes, are fine.)
Result<void> checkOverlaps(const std::vector<Job> &jobs)
{
	std::map<std::string, const Job *> byKernelName;
	for (const Job &j : jobs) {
		Result<std::string> k = system::kernelName(j.alias);
		if (!k)
			continue;
		auto [it, fresh] = byKernelName.emplace(*k, &j);
		if (!fresh && (it->second->create || j.create))
			return unexpected(go::quote(it->second->fs->device) + " and " + go::quote(j.fs->device) +
					  " are the same device (" + j.node +
					  "), which can hold only one filesystem; nothing was changed. Remove one "
					  "of them from the config");
		if (!fresh && j.create)
			it->second = &j;
	}
	for (const auto &[kname, j] : byKernelName) {
		std::string disk = parentDisk(kname);
		auto parent = byKernelName.find(disk);
		if (disk.empty() || parent == byKernelName.end())
			continue;
		if (parent->second->create || j->create)
			return unexpected("the filesystem on " +
					  showDevice(parent->second->fs->device, "/dev/" + disk) +
					  " would overwrite the partition " + showDevice(j->fs->device, j->node) +
					  " that another filesystem in the config uses; nothing was changed. Use "
					  "either the whole disk or its partitions");
	}
	return {};
}

} // namespace

Result<void> createFilesystems(const config::Config &cfg, Devices &devices)
{
	const std::vector<Filesystem> &all = cfg.storage.filesystems;
	if (all.empty())
		return {};
	log::PrefixScope prefix("createFilesystems");

	// virtiofs shares are not block devices: nothing to wait for or format.
	std::vector<const Filesystem *> fss;
	std::vector<std::string> paths;
	for (const Filesystem &fs : all) {
		if (fs.format && *fs.format == "virtiofs")
			continue;
		fss.push_back(&fs);
		paths.push_back(fs.device);
	}
	if (Result<void> r = devices.prepare(paths, "filesystems"); !r)
		return r;

	// Every decision first, in config order: a refusal, a busy device or a
	// missing mkfs anywhere fails the step before any device is touched.
	std::vector<Job> jobs;
	for (const Filesystem *fs : fss) {
		if (!fs->format)
			continue;
		Job job;
		job.fs = fs;
		job.alias = devices.alias(fs->device);
		job.node = resolvePath(job.alias);
		Result<system::FilesystemProbe> found = probeLogged(*fs, job.alias);
		if (!found)
			return unexpected(found.error());
		job.found = *found;
		jobs.push_back(std::move(job));
	}
	std::optional<Error> refused;
	std::size_t refusals = 0;
	for (Job &job : jobs) {
		if (Result<void> r = plan(job); !r) {
			// Each refusal is logged (as Ignition logs ErrBadFilesystem's
			// details); the first in config order is the step's error.
			LOG(Disks, Error) << r.error().message();
			refusals++;
			if (!refused)
				refused = r.error();
		}
	}
	if (refused) {
		if (refusals > 1)
			refused->context(std::to_string(refusals) + " filesystems refused (each logged above); first");
		return unexpected(std::move(*refused));
	}
	if (Result<void> r = checkOverlaps(jobs); !r)
		return r;

	std::vector<Job *> creates;
	std::set<std::string> checkedTools;
	bool needWipefs = false;
	for (Job &job : jobs) {
		if (!job.create)
			continue;
		creates.push_back(&job);
		needWipefs = true;
		std::optional<MkfsTool> tool = mkfsTool(*job.fs->format);
		if (!tool && *job.fs->format != "none")
			return unexpected("unsupported filesystem format: " + go::quote(*job.fs->format));
		if (tool && checkedTools.insert(tool->cmd).second && !toolStarts(tool->cmd, tool->versionFlag))
			return unexpected("cannot create the " + *job.fs->format + " filesystem on " +
					  showDevice(job.fs->device, job.node) + ": " + go::quote(tool->cmd) +
					  " is not installed (not found in $PATH); nothing was changed");
	}
	if (needWipefs && !toolStarts(distro::kWipefsCmd, "--version"))
		return unexpected(std::string("cannot wipe devices: ") + go::quote(distro::kWipefsCmd) +
				  " is not installed (not found in $PATH); nothing was changed");
	if (creates.empty())
		return {};

	// mkfs runs concurrently (Ignition: up to GOMAXPROCS); each job is
	// logged in config order once it is done, and the first failure in
	// config order is the step's error.
	std::optional<Error> failed;
	std::size_t failures = 0;
	runOrdered(creates, cpuCount(), system::udevRunning(), [&](std::size_t i) {
		if (Result<void> r = report(*creates[i]); !r) {
			failures++;
			if (!failed)
				failed = r.error();
		}
	});
	if (failed) {
		if (failures > 1)
			failed->context(std::to_string(failures) + " filesystems failed (each logged above); first");
		return unexpected(std::move(*failed));
	}
	return {};
}

Result<void> checkExistingFilesystems(const config::Config &cfg)
{
	const config::Storage &s = cfg.storage;
	// The disks the partitions step rewrites, and the devices RAID and LUKS
	// take over: what is on them now says nothing about what will be there.
	std::set<std::string> changing;
	auto addKernelName = [&](const std::string &path) {
		if (Result<std::string> k = system::kernelName(path); k)
			changing.insert(*k);
	};
	for (const config::Disk &d : s.disks)
		addKernelName(d.device);
	for (const config::Raid &r : s.raid)
		for (const std::string &dev : r.devices)
			addKernelName(dev);
	for (const config::Luks &l : s.luks)
		if (l.device)
			addKernelName(*l.device);

	log::PrefixScope prefix("createFilesystems");
	std::optional<Error> refused;
	std::size_t refusals = 0;
	for (const Filesystem &fs : s.filesystems) {
		if (!fs.format || *fs.format == "virtiofs" || access(fs.device.c_str(), F_OK) != 0)
			continue;
		Result<std::string> kname = system::kernelName(fs.device);
		// Created by this config's RAID or LUKS steps, or on a disk being
		// partitioned: checked when its step has run.
		if (!kname || kname->starts_with("md") || kname->starts_with("dm-") || changing.count(*kname) ||
		    changing.count(parentDisk(*kname)))
			continue;
		Job job;
		job.fs = &fs;
		job.alias = fs.device;
		job.node = resolvePath(fs.device);
		Result<system::FilesystemProbe> found = system::probeFilesystem(fs.device);
		if (!found)
			continue; // probed again, with its error reported, in its step
		job.found = *found;
		if (Result<bool> keep = keepExisting(job, false); !keep) {
			LOG(Disks, Error) << keep.error().message();
			refusals++;
			if (!refused)
				refused = keep.error();
		}
	}
	if (refused) {
		if (refusals > 1)
			refused->context(std::to_string(refusals) + " filesystems refused (each logged above); first");
		return unexpected(std::move(*refused));
	}
	return {};
}

} // namespace flint::stages::disks
