// Ignition's state file (-state-file): what earlier stages and runs recorded.
#pragma once

#include <string>
#include <vector>

#include "flint/base/json.h"
#include "flint/base/result.h"

namespace flint::engine {

// A config a fetch stage used: {"kind":"user","source":"file","referenced":false}.
struct FetchedConfig {
	std::string kind;
	std::string source;
	bool referenced = false;
};

// internal/state.State. Flint reads and updates fetchedConfigs; the other
// members (LUKS key files, notated directories, written by stages Flint
// does not implement yet) are kept as they were.
class State final
{
public:
	// A missing file is an empty state; an unreadable or malformed one is
	// an error ("parsing state file: ...").
	[[nodiscard]] static Result<State> load(const std::string &path);

	// Writes the state as Go's json.Marshal does, plus "\n"; the directory
	// is created with mode 0700, the file with 0600.
	[[nodiscard]] Result<void> save(const std::string &path) const;

	std::vector<FetchedConfig> &fetchedConfigs() { return fetchedConfigs_; }
	const std::vector<FetchedConfig> &fetchedConfigs() const { return fetchedConfigs_; }

	std::string toJson() const;

private:
	std::vector<FetchedConfig> fetchedConfigs_;
	// Other members in document order.
	std::vector<json::Member> others_;
};

} // namespace flint::engine
