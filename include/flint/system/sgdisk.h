// sgdisk: one partitioning operation built up and then run as a pretend (to learn the geometry) or as the one commit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"

namespace flint::system {

// A partition to create, in logical sectors; 0 start or size lets sgdisk
// choose (the first free sector, the largest free block).
struct SgdiskPartition {
	int number = 0;
	std::uint64_t start = 0;
	std::uint64_t size = 0;
	std::optional<std::string> label;
	std::optional<std::string> typeGuid;
	std::optional<std::string> guid;
};

// First and last sector sgdisk reports for a partition (--info).
struct SgdiskGeometry {
	std::uint64_t start = 0;
	std::uint64_t end = 0;
};

// Reads the geometry sgdisk prints for each --info=N, asked for in the
// order of `numbers` ("First sector: N (...)" then "Last sector: N (...)"
// per partition); anything more, less or unreadable is an error.
[[nodiscard]] Result<std::map<int, SgdiskGeometry>> parseSgdiskInfo(std::string_view out,
								     const std::vector<int> &numbers);

class SgdiskOperation final
{
public:
	explicit SgdiskOperation(std::string device) : device_(std::move(device)) {}

	void wipeTable(bool wipe) { wipe_ = wipe; }
	void createPartition(SgdiskPartition p) { creates_.push_back(std::move(p)); }
	void deletePartition(int number) { deletes_.push_back(number); }
	void info(int number) { infos_.push_back(number); }
	bool empty() const { return !wipe_ && creates_.empty() && deletes_.empty(); }

	// The command Ignition runs: sgdisk [--pretend] [--zap-all]
	// --delete=N... --new=N:S:+Z [--change-name=N:L] [--typecode=N:G]
	// [--partition-guid=N:G] ... [--info=N ...] <device>; under --pretend
	// a table wipe is --mbrtogpt --clear, since --zap-all does nothing
	// there.
	std::vector<std::string> argv(bool pretend) const;

	// Runs `sgdisk --pretend ...` and returns the geometry of each
	// partition asked for with info().
	[[nodiscard]] Result<std::map<int, SgdiskGeometry>> pretend() const;

	// Runs the operation for real, logged as Ignition's LogCmd; retried
	// once when sgdisk exits 2 after repairing a damaged table (as
	// Ignition HEAD does after --zap-all).
	[[nodiscard]] Result<void> commit() const;

private:
	std::string device_;
	bool wipe_ = false;
	std::vector<SgdiskPartition> creates_;
	std::vector<int> deletes_;
	std::vector<int> infos_;
};

} // namespace flint::system
