// An owning handle for a libblkid probe, shared by the system layer's blkid users.
#pragma once

#include <blkid/blkid.h>

namespace flint::system {

// Owns a blkid_probe.
class BlkidProbe final
{
public:
	BlkidProbe() : probe_(blkid_new_probe()) {}
	~BlkidProbe()
	{
		if (probe_)
			blkid_free_probe(probe_);
	}
	BlkidProbe(const BlkidProbe &) = delete;
	BlkidProbe &operator=(const BlkidProbe &) = delete;

	blkid_probe get() const { return probe_; }

private:
	blkid_probe probe_;
};

} // namespace flint::system
