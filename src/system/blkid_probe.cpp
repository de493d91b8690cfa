// libblkid's low-level superblock probe: what filesystem or other signature a device carries.
#include "flint/system/blockdev.h"

#include <blkid/blkid.h>
#include <fcntl.h>

#include "blkid_handle.h"
#include "flint/base/unique_fd.h"

namespace flint::system {

namespace {

std::string lookup(blkid_probe pr, const char *name)
{
	const char *value = nullptr;
	if (blkid_probe_has_value(pr, name) && blkid_probe_lookup_value(pr, name, &value, nullptr) == 0 && value)
		return value;
	return {};
}

// One probe of dev's superblocks. safe: blkid_do_safeprobe, which fails
// (-2) when several signatures are found; otherwise blkid_do_probe, which
// takes the first. The fd is opened here rather than by libblkid so the
// error carries errno.
Result<FilesystemProbe> probeOnce(const std::string &dev, bool safe, bool &ambivalent)
{
	UniqueFd fd(open(dev.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.isValid())
		return unexpected(errnoError("opening " + dev + " to probe it"));
	BlkidProbe probe;
	if (!probe.get())
		return unexpected("probing " + dev + ": libblkid could not allocate a probe");
	blkid_probe pr = probe.get();
	if (blkid_probe_set_device(pr, fd.get(), 0, 0) != 0)
		return unexpected("probing " + dev + ": libblkid cannot read it");
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_DEFAULT | BLKID_SUBLKS_VERSION);
	blkid_probe_enable_partitions(pr, 0);

	ambivalent = false;
	int r = safe ? blkid_do_safeprobe(pr) : blkid_do_probe(pr);
	if (r == -2) {
		ambivalent = true;
		return FilesystemProbe{};
	}
	if (r < 0)
		return unexpected("probing " + dev + ": libblkid failed to probe its superblocks");
	FilesystemProbe info;
	if (r == 0) {
		info.type = lookup(pr, "TYPE");
		info.uuid = lookup(pr, "UUID");
		info.label = lookup(pr, "LABEL");
		info.version = lookup(pr, "VERSION");
	}
	return info;
}

} // namespace

Result<FilesystemProbe> probeFilesystem(const std::string &dev)
{
	bool ambivalent = false;
	Result<FilesystemProbe> first = probeOnce(dev, true, ambivalent);
	if (!first || !ambivalent)
		return first;
	// Several signatures (a filesystem written over another without a
	// wipe, say): as Ignition, take the first libblkid reports and let the
	// caller warn.
	Result<FilesystemProbe> second = probeOnce(dev, false, ambivalent);
	if (!second)
		return second;
	second->ambivalent = true;
	return second;
}

} // namespace flint::system
