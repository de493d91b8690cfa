// Whether a block device is busy: mounted, used as swap, held by another device, or opened exclusively.
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "flint/base/go.h"
#include "flint/base/unique_fd.h"
#include "flint/system/blockdev.h"

namespace flint::system {

namespace {

std::vector<std::string> listDir(const std::string &dir)
{
	std::vector<std::string> names;
	DIR *d = opendir(dir.c_str());
	if (!d)
		return names;
	while (struct dirent *e = readdir(d)) {
		std::string n = e->d_name;
		if (n != "." && n != "..")
			names.push_back(n);
	}
	closedir(d);
	return names;
}

// The partitions of a whole disk: /sys/class/block/<disk>/<disk>N dirs with a
// "partition" file.
std::vector<std::string> partitionsOf(const std::string &kname)
{
	std::vector<std::string> parts;
	for (const std::string &n : listDir("/sys/class/block/" + kname))
		if (n.rfind(kname, 0) == 0 &&
		    access(("/sys/class/block/" + kname + "/" + n + "/partition").c_str(), F_OK) == 0)
			parts.push_back(n);
	return parts;
}

// mountinfo's octal escapes (\040 for a space) undone.
std::string unescapeMountField(const std::string &s)
{
	auto octal = [](char c) { return c >= '0' && c <= '7'; };
	std::string out;
	for (std::size_t i = 0; i < s.size(); i++) {
		if (s[i] == '\\' && i + 3 < s.size() && octal(s[i + 1]) &&
		    octal(s[i + 2]) && octal(s[i + 3])) {
			out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
			continue;
		}
		out += s[i];
	}
	return out;
}

std::string resolve(const std::string &p)
{
	char buf[PATH_MAX];
	return realpath(p.c_str(), buf) ? std::string(buf) : std::string();
}

// Where the device (kernel name, dev_t) is mounted, or empty.
std::string mountPointOf(dev_t devnum, const std::string &node)
{
	std::ifstream in("/proc/self/mountinfo");
	std::string line;
	const std::string majmin = std::to_string(major(devnum)) + ":" + std::to_string(minor(devnum));
	while (std::getline(in, line)) {
		std::istringstream ls(line);
		std::string id, parent, mm, root, mountPoint;
		ls >> id >> parent >> mm >> root >> mountPoint;
		std::string word, source;
		while (ls >> word && word != "-") {
		}
		std::string fstype;
		ls >> fstype >> source;
		source = unescapeMountField(source);
		// btrfs reports an anonymous device number; compare the source too.
		if (mm == majmin || (!source.empty() && source[0] == '/' && resolve(source) == node))
			return unescapeMountField(mountPoint);
	}
	return {};
}

bool usedAsSwap(const std::string &node)
{
	std::ifstream in("/proc/swaps");
	std::string line;
	std::getline(in, line); // header
	while (std::getline(in, line)) {
		std::istringstream ls(line);
		std::string file;
		ls >> file;
		if (resolve(unescapeMountField(file)) == node)
			return true;
	}
	return false;
}

// Why one device node is busy, or empty. A whole disk is busy through its
// partitions only when they make its exclusive open fail.
std::string whyBusy(const std::string &kname)
{
	const std::string node = "/dev/" + kname;
	struct stat st;
	if (stat(node.c_str(), &st) != 0 || !S_ISBLK(st.st_mode))
		return {};
	if (std::string mp = mountPointOf(st.st_rdev, node); !mp.empty())
		return node + " is mounted on " + mp;
	if (usedAsSwap(node))
		return node + " is in use as swap";
	std::vector<std::string> holders = listDir("/sys/class/block/" + kname + "/holders");
	if (!holders.empty()) {
		std::string list;
		for (const std::string &h : holders)
			list += (list.empty() ? "" : ", ") + h;
		return node + " is held by " + list;
	}
	// Anything else with an exclusive claim (a mount in another namespace,
	// a running mkfs, an assembled array's member) makes O_EXCL fail.
	UniqueFd fd(open(node.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK));
	if (!fd.isValid() && errno == EBUSY) {
		// A mounted or held partition claims its whole disk as well; name
		// the partition rather than blame an unknown program.
		for (const std::string &p : partitionsOf(kname))
			if (std::string why = whyBusy(p); !why.empty())
				return node + " has a partition in use: " + why;
		return node + " is in use (another program has opened it exclusively)";
	}
	return {};
}

} // namespace

Result<std::string> kernelName(const std::string &dev)
{
	struct stat st;
	if (stat(dev.c_str(), &st) != 0)
		return unexpected(errnoError("stat " + dev));
	if (!S_ISBLK(st.st_mode))
		return unexpected(dev + " is not a block device");
	const std::string sys = "/sys/dev/block/" + std::to_string(major(st.st_rdev)) + ":" +
				std::to_string(minor(st.st_rdev));
	std::string target = resolve(sys);
	if (target.empty())
		return unexpected(errnoError("resolving " + sys));
	return go::pathBase(target);
}

Result<std::optional<std::string>> deviceInUse(const std::string &dev, bool includePartitions)
{
	Result<std::string> kname = kernelName(dev);
	if (!kname)
		return unexpected(kname.error());
	// Partitions first: their reasons are the precise ones.
	std::vector<std::string> names;
	if (includePartitions)
		names = partitionsOf(*kname);
	names.push_back(*kname);
	for (const std::string &n : names)
		if (std::string why = whyBusy(n); !why.empty())
			return std::optional<std::string>(why);
	return std::optional<std::string>();
}

} // namespace flint::system
