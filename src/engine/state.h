// Ignition's state file (-state-file): what earlier stages and runs recorded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
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

// internal/state.State: fetchedConfigs, luksPersistKeyFiles (written by the
// disks stage, consumed and cleared by the files stage) and
// notatedDirectories (appended to by the mount stage, read by the files
// stage). Members Flint does not know are kept as they were. A member that
// is absent or null stays null, as a Go nil map or slice marshals.
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

	// Volume name -> data URL of its key. nullopt is Go's nil map ("null");
	// an empty map is "{}".
	std::optional<std::map<std::string, std::string>> &luksPersistKeyFiles() { return luksPersistKeyFiles_; }
	const std::optional<std::map<std::string, std::string>> &luksPersistKeyFiles() const
	{
		return luksPersistKeyFiles_;
	}
	// Root-relative directories the mount stage created. nullopt is Go's
	// nil slice ("null"); an empty vector is "[]".
	std::optional<std::vector<std::string>> &notatedDirectories() { return notatedDirectories_; }
	const std::optional<std::vector<std::string>> &notatedDirectories() const { return notatedDirectories_; }

	std::string toJson() const;

private:
	[[nodiscard]] Result<void> loadLuksKeys(const json::Value &v);
	[[nodiscard]] Result<void> loadNotated(const json::Value &v);
	static Error fieldTypeError(const json::Value &v, std::string_view field, std::string_view goType);

	std::vector<FetchedConfig> fetchedConfigs_;
	std::optional<std::map<std::string, std::string>> luksPersistKeyFiles_;
	std::optional<std::vector<std::string>> notatedDirectories_;
	// Other members in document order.
	std::vector<json::Member> others_;
};

} // namespace flint::engine
