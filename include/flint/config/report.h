// Validation reports: every problem of a config with its JSON path and position.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flint::config {

enum class Severity { Error, Warning, Info };

// One step of a JSON path: an object key or an array index.
struct PathElement {
	std::string key;
	long index = -1; // >= 0 for an array index

	static PathElement ofKey(std::string_view k) { return { std::string(k), -1 }; }
	static PathElement ofIndex(long i) { return { {}, i }; }
	bool isIndex() const { return index >= 0; }
};

using Path = std::vector<PathElement>;

// "$.storage.files.3.path"
std::string pathString(const Path &p);

struct Entry {
	Severity severity = Severity::Error;
	Path path;               // empty: no logical location
	bool hasMarker = false;  // a position in the input is known
	long line = 0;
	long col = 0;
	std::string message;

	// "error at $.storage.files.3.path, line 12 col 7: path not absolute"
	std::string toString() const;
};

class Report final
{
public:
	void add(Severity s, Path path, std::string message);
	void addError(Path path, std::string message) { add(Severity::Error, std::move(path), std::move(message)); }
	void addWarning(Path path, std::string message) { add(Severity::Warning, std::move(path), std::move(message)); }
	void append(const Report &other);

	bool isFatal() const;
	bool empty() const { return entries_.empty(); }
	const std::vector<Entry> &entries() const { return entries_; }
	std::vector<Entry> &entries() { return entries_; }

	// One entry per line, each ending in "\n" (as vcontext's Report.String).
	std::string toString() const;

private:
	std::vector<Entry> entries_;
};

} // namespace flint::config
