// Ignition's partition decisions as pure functions of the config, the existing table and sgdisk's geometry.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "flint/base/result.h"
#include "flint/config/types.h"
#include "flint/system/blockdev.h"
#include "flint/system/sgdisk.h"

namespace flint::stages::disks {

// Where a start or size in sectors came from, for messages.
enum class SectorSource {
	Unset,    // not given and nothing to inherit (sgdisk decides)
	Config,   // startMiB/sizeMiB converted to sectors
	Existing, // not given; the existing partition's value is kept
	Sgdisk,   // 0 or not given: what sgdisk --pretend chose
};

// A configured partition resolved against one disk: sectors instead of MiB,
// the number sgdisk will use, and what may be done to an existing entry.
struct WantedPartition {
	int number = 0;
	bool autoNumber = false; // the config said 0: the next free number
	bool shouldExist = true;
	bool wipeEntry = false;
	bool resize = false;
	std::optional<std::uint64_t> start; // logical sectors
	std::optional<std::uint64_t> size;
	SectorSource startSource = SectorSource::Unset;
	SectorSource sizeSource = SectorSource::Unset;
	std::optional<std::string> label;
	std::optional<std::string> guid;
	std::optional<std::string> typeGuid;
	bool inspect = false; // sgdisk --pretend --info decides start and size
};

// The config's partitions, stable-sorted so number 0 comes last (Ignition's
// PartitionList), resolved against `table`: MiB to logical sectors, an
// unset start or size inherited from the existing partition unless
// wipePartitionEntry, number 0 given the next number neither on the disk
// nor configured to exist, and the partitions whose start or size sgdisk
// must decide (unset or 0) marked for inspection.
std::vector<WantedPartition> resolvePartitions(const std::vector<config::Partition> &partitions,
					       const system::PartitionTable &table);

// The pretend run that resolves geometry: every configured partition on the
// disk deleted, every one that should exist created (without its label,
// which sgdisk would print unescaped), --info for those to inspect; a wipe
// first when `wipe`. Empty when there is nothing to ask.
system::SgdiskOperation geometryOperation(const std::string &device, bool wipe,
					  const std::vector<WantedPartition> &wanted,
					  const system::PartitionTable &table);

// Copies sgdisk's first and last sectors into the inspected partitions.
// Fails when sgdisk did not report one of them.
[[nodiscard]] Result<void> applyGeometry(std::vector<WantedPartition> &wanted,
					 const std::map<int, system::SgdiskGeometry> &geometry);

enum class PartitionAction {
	Nothing,  // absent and should not exist
	Create,   // absent (or numbered 0): created
	Keep,     // present and matching
	Delete,   // present, should not exist, wipePartitionEntry
	Resize,   // present, only the size differs, resize: deleted and re-created in place
	Recreate, // present, different, wipePartitionEntry: deleted and created as configured
};

// What happens to one configured partition. For Resize, `want` carries the
// existing number, GUIDs, label and start with the new size.
struct PartitionStep {
	PartitionAction action = PartitionAction::Nothing;
	WantedPartition want;
	std::optional<system::PartitionEntry> existing;
	std::string mismatch; // why an existing partition did not match (Recreate, Resize)
};

// Ignition's reuse matrix (operator notes, "partition reuse semantics").
// Errors keep Ignition's leading words ("partition 1 didn't match", "...
// exists but is specified as nonexistant ...") and add the device, every
// difference with sectors and MiB, and what to change.
[[nodiscard]] Result<std::vector<PartitionStep>> decidePartitions(const std::string &device,
								  const std::vector<WantedPartition> &wanted,
								  const system::PartitionTable &table);

// The one commit: deletions, then creations with labels and GUIDs.
system::SgdiskOperation commitOperation(const std::string &device, const std::vector<PartitionStep> &steps);

// "204800 sectors (100 MiB)"; MiB with two decimals when not whole.
std::string sectorsText(std::uint64_t sectors, std::uint64_t sectorSize);

// The log line for a step once it is done: `created partition 2 "var"
// (start 2048, 409600 sectors)`.
std::string stepText(const PartitionStep &step);

} // namespace flint::stages::disks
