// Report entries and their text form, as vcontext prints them.
#include "flint/config/report.h"

namespace flint::config {

std::string pathString(const Path &p)
{
	std::string s = "$";
	for (const auto &e : p) {
		s += '.';
		if (e.isIndex())
			s += std::to_string(e.index);
		else
			s += e.key;
	}
	return s;
}

std::string Entry::toString() const
{
	std::string s;
	switch (severity) {
	case Severity::Error:
		s = "error";
		break;
	case Severity::Warning:
		s = "warning";
		break;
	case Severity::Info:
		s = "info";
		break;
	}
	if (hasMarker && !path.empty())
		s += " at " + pathString(path) + ", line " + std::to_string(line) + " col " + std::to_string(col);
	else if (hasMarker)
		s += " at line " + std::to_string(line) + " col " + std::to_string(col);
	else if (!path.empty())
		s += " at " + pathString(path);
	s += ": ";
	s += message;
	return s;
}

void Report::add(Severity s, Path path, std::string message)
{
	Entry e;
	e.severity = s;
	e.path = std::move(path);
	e.message = std::move(message);
	entries_.push_back(std::move(e));
}

void Report::append(const Report &other)
{
	entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

bool Report::isFatal() const
{
	for (const auto &e : entries_)
		if (e.severity == Severity::Error)
			return true;
	return false;
}

std::string Report::toString() const
{
	std::string s;
	for (const auto &e : entries_) {
		s += e.toString();
		s += '\n';
	}
	return s;
}

} // namespace flint::config
