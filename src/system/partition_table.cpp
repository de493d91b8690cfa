// Partition tables: reading a GPT with libblkid, and telling the kernel about partitions with BLKPG.
#include "flint/system/blockdev.h"

#include <blkid/blkid.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>

#include "flint/base/go.h"
#include "blkid_handle.h"
#include "flint/base/unique_fd.h"

namespace flint::system {

namespace {

std::string upper(const char *s)
{
	std::string out = s ? s : "";
	for (char &c : out)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return out;
}

Result<UniqueFd> openDevice(const std::string &dev, std::string_view why)
{
	UniqueFd fd(open(dev.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.isValid())
		return unexpected(errnoError("opening " + dev + " " + std::string(why)));
	return fd;
}

Result<std::uint64_t> sectorSizeOf(int fd, const std::string &dev)
{
	int ss = 0;
	if (ioctl(fd, BLKSSZGET, &ss) != 0)
		return unexpected(errnoError("reading the logical sector size of " + dev + " (BLKSSZGET)"));
	if (ss <= 0 || ss % 512 != 0)
		return unexpected("the logical sector size of " + dev + " is " + std::to_string(ss) +
				  " bytes, not a multiple of 512");
	return static_cast<std::uint64_t>(ss);
}

// One sysfs number ("2048\n").
std::optional<std::uint64_t> readSysNumber(const std::string &path)
{
	std::ifstream in(path);
	std::string s;
	if (!std::getline(in, s))
		return std::nullopt;
	std::string_view v = go::trimSpace(s);
	std::uint64_t n = 0;
	auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
	if (ec != std::errc() || end != v.data() + v.size() || v.empty())
		return std::nullopt;
	return n;
}

// BLKPG on the whole disk's fd; sectors in 512-byte units, as sysfs has them.
int blkpg(int fd, int op, int number, std::uint64_t start512, std::uint64_t size512)
{
	struct blkpg_partition part;
	std::memset(&part, 0, sizeof(part));
	part.start = static_cast<long long>(start512 * 512);
	part.length = static_cast<long long>(size512 * 512);
	part.pno = number;
	struct blkpg_ioctl_arg arg;
	std::memset(&arg, 0, sizeof(arg));
	arg.op = op;
	arg.datalen = sizeof(part);
	arg.data = &part;
	return ioctl(fd, BLKPG, &arg) == 0 ? 0 : errno;
}

std::string geometryText(std::uint64_t start512, std::uint64_t size512)
{
	return "start " + std::to_string(start512) + ", " + std::to_string(size512) + " 512-byte sectors";
}

} // namespace

Result<std::uint64_t> logicalSectorSize(const std::string &dev)
{
	Result<UniqueFd> fd = openDevice(dev, "to read its sector size");
	if (!fd)
		return unexpected(fd.error());
	return sectorSizeOf(fd->get(), dev);
}

Result<PartitionTable> readPartitionTable(const std::string &disk)
{
	Result<UniqueFd> fd = openDevice(disk, "to read its partition table");
	if (!fd)
		return unexpected(fd.error());
	PartitionTable table;
	Result<std::uint64_t> ss = sectorSizeOf(fd->get(), disk);
	if (!ss)
		return unexpected(ss.error());
	table.logicalSectorSize = *ss;
	std::uint64_t bytes = 0;
	if (ioctl(fd->get(), BLKGETSIZE64, &bytes) != 0)
		return unexpected(errnoError("reading the size of " + disk + " (BLKGETSIZE64)"));
	table.sizeSectors = bytes / table.logicalSectorSize;

	BlkidProbe probe;
	if (!probe.get())
		return unexpected("reading the partition table of " + disk + ": libblkid could not allocate a probe");
	if (blkid_probe_set_device(probe.get(), fd->get(), 0, 0) != 0)
		return unexpected("reading the partition table of " + disk + ": libblkid cannot read it");
	// No list: no partition table libblkid knows (a blank disk, or only a
	// filesystem), which Ignition treats as a GPT without partitions.
	blkid_partlist list = blkid_probe_get_partitions(probe.get());
	if (!list)
		return table;
	blkid_parttable parttable = blkid_partlist_get_table(list);
	if (!parttable)
		return unexpected("reading the partition table of " + disk + ": no partition table found");
	const char *type = blkid_parttable_get_type(parttable);
	if (!type || std::strcmp(type, "gpt") != 0)
		return unexpected("reading the partition table of " + disk + ": disk does not have a GPT (it has a " +
				  go::quote(type ? type : "") +
				  " partition table); set wipeTable: true to replace it with a GPT");

	// libblkid counts in 512-byte sectors whatever the disk's sector size.
	const std::uint64_t per = table.logicalSectorSize / 512;
	int n = blkid_partlist_numof_partitions(list);
	if (n < 0)
		return unexpected("reading the partition table of " + disk + ": libblkid cannot count its partitions");
	for (int i = 0; i < n; i++) {
		blkid_partition p = blkid_partlist_get_partition(list, i);
		if (!p)
			return unexpected("reading the partition table of " + disk + ": libblkid cannot read entry " +
					  std::to_string(i));
		long long start = blkid_partition_get_start(p);
		long long size = blkid_partition_get_size(p);
		int number = blkid_partition_get_partno(p);
		if (start < 0 || size < 0 || number < 0)
			return unexpected("reading the partition table of " + disk + ": libblkid cannot read entry " +
					  std::to_string(i));
		PartitionEntry e;
		e.number = number;
		e.start = static_cast<std::uint64_t>(start) / per;
		e.size = static_cast<std::uint64_t>(size) / per;
		// An empty GPT name comes back as NULL.
		const char *name = blkid_partition_get_name(p);
		e.label = name ? name : "";
		e.guid = upper(blkid_partition_get_uuid(p));
		e.typeGuid = upper(blkid_partition_get_type_string(p));
		table.partitions.push_back(std::move(e));
	}
	std::sort(table.partitions.begin(), table.partitions.end(),
		  [](const PartitionEntry &a, const PartitionEntry &b) { return a.number < b.number; });
	return table;
}

Result<std::vector<KernelPartition>> kernelPartitions(const std::string &disk)
{
	Result<std::string> kname = kernelName(disk);
	if (!kname)
		return unexpected(kname.error());
	const std::string dir = "/sys/class/block/" + *kname;
	DIR *d = opendir(dir.c_str());
	if (!d)
		return unexpected(errnoError("listing " + dir));
	std::vector<std::string> names;
	while (struct dirent *e = readdir(d)) {
		std::string n = e->d_name;
		if (n.size() > kname->size() && n.compare(0, kname->size(), *kname) == 0)
			names.push_back(std::move(n));
	}
	closedir(d);
	std::vector<KernelPartition> parts;
	for (const std::string &n : names) {
		const std::string sys = dir + "/" + n + "/";
		std::optional<std::uint64_t> number = readSysNumber(sys + "partition");
		if (!number)
			continue; // not a partition (a holder's entry, or gone meanwhile)
		std::optional<std::uint64_t> start = readSysNumber(sys + "start");
		std::optional<std::uint64_t> size = readSysNumber(sys + "size");
		if (!start || !size)
			return unexpected("reading the kernel's view of partition " + n + " of " + disk + ": " + sys +
					  "{start,size} are unreadable");
		parts.push_back(KernelPartition{ static_cast<int>(*number), n, *start, *size });
	}
	std::sort(parts.begin(), parts.end(),
		  [](const KernelPartition &a, const KernelPartition &b) { return a.number < b.number; });
	return parts;
}

Result<void> syncKernelPartitions(const std::string &disk, const PartitionTable &table, const std::vector<int> &changed)
{
	Result<std::vector<KernelPartition>> kernel = kernelPartitions(disk);
	if (!kernel)
		return unexpected(kernel.error().withContext("updating the kernel's partitions of " + disk));
	Result<UniqueFd> fd = openDevice(disk, "to update the kernel's partitions");
	if (!fd)
		return unexpected(fd.error());

	struct Geometry {
		std::uint64_t start;
		std::uint64_t size;
	};
	const std::uint64_t per = table.logicalSectorSize / 512;
	std::map<int, Geometry> want;
	for (const PartitionEntry &p : table.partitions)
		want[p.number] = Geometry{ p.start * per, p.size * per };
	std::map<int, const KernelPartition *> have;
	for (const KernelPartition &k : *kernel)
		have[k.number] = &k;
	auto isChanged = [&](int n) { return std::find(changed.begin(), changed.end(), n) != changed.end(); };

	// What to do: drop what the table no longer has and what moved or
	// was rewritten; resize in place what only grew or shrank (that works
	// on a partition in use); add what is missing. Partitions that already
	// match are left alone: deleting one udev is probing would fail
	// (EBUSY), and a kernel that reads GPT itself has usually caught up.
	std::vector<const KernelPartition *> drops, resizes;
	std::vector<int> adds;
	for (const KernelPartition &k : *kernel) {
		auto w = want.find(k.number);
		if (w == want.end())
			drops.push_back(&k);
		else if (w->second.start == k.start && w->second.size == k.size)
			continue;
		else if (w->second.start == k.start && !isChanged(k.number))
			resizes.push_back(&k);
		else
			drops.push_back(&k);
	}
	for (const auto &[n, g] : want) {
		auto h = have.find(n);
		if (h == have.end() || std::find(drops.begin(), drops.end(), h->second) != drops.end())
			adds.push_back(n);
	}
	// Shrinks before growths, so a growing partition never overlaps a
	// neighbour that is about to shrink.
	std::stable_sort(resizes.begin(), resizes.end(), [&](const KernelPartition *a, const KernelPartition *b) {
		return want[a->number].size < a->size && !(want[b->number].size < b->size);
	});

	const std::string where = " of " + disk;
	for (const KernelPartition *k : drops) {
		int err = blkpg(fd->get(), BLKPG_DEL_PARTITION, k->number, 0, 0);
		if (err == 0 || err == ENXIO)
			continue;
		std::string why;
		if (err == EBUSY) {
			Result<std::optional<std::string>> busy = deviceInUse("/dev/" + k->name, false);
			why = busy && *busy ? **busy : "/dev/" + k->name + " is open";
			return unexpected(Error("the kernel cannot drop its old partition " + std::to_string(k->number) +
							" (/dev/" + k->name + ", " + geometryText(k->start, k->size) + ")" +
							where + " to match the partition table on disk: " + why +
							"; release it and run this again, or reboot",
						err));
		}
		return unexpected(errnoError("removing partition " + std::to_string(k->number) + " (/dev/" + k->name +
					     ")" + where + " from the kernel (BLKPG)",
					     err));
	}
	for (const KernelPartition *k : resizes) {
		const Geometry &g = want[k->number];
		int err = blkpg(fd->get(), BLKPG_RESIZE_PARTITION, k->number, g.start, g.size);
		if (err == 0)
			continue;
		std::string hint = err == EBUSY ? " (it would overlap another partition the kernel knows)" : "";
		return unexpected(errnoError("resizing partition " + std::to_string(k->number) + " (/dev/" + k->name +
					     ")" + where + " in the kernel to " + geometryText(g.start, g.size) + hint,
					     err));
	}
	for (int n : adds) {
		const Geometry &g = want[n];
		int err = blkpg(fd->get(), BLKPG_ADD_PARTITION, n, g.start, g.size);
		if (err == 0)
			continue;
		std::string hint;
		if (err == EBUSY)
			hint = " (it overlaps a partition the kernel still has)";
		else if (err == EINVAL)
			hint = " (the device does not take partitions: is it a partition itself, or a loop device "
			       "set up without losetup -P?)";
		return unexpected(errnoError("adding partition " + std::to_string(n) + where + " to the kernel (" +
					     geometryText(g.start, g.size) + ")" + hint,
					     err));
	}
	return {};
}

} // namespace flint::system
