// The validator: Ignition's Validate() methods for one spec version, walked in
// the order vcontext walks the Go types (struct fields depth-first).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "flint/config/report.h"
#include "flint/config/types.h"
#include "flint/config/version.h"

namespace flint::config::detail {

// The validation context: spec version, current JSON path, report.
class Ctx final
{
public:
	Ctx(Spec spec, Report &report) : spec_(spec), report_(report) {}

	// A context at the same path and spec adding to another report (for
	// checking part of a list on another thread), and taking such a
	// report's entries back, after this one's.
	Ctx fork(Report &into) const
	{
		Ctx c(spec_, into);
		c.path_ = path_;
		return c;
	}
	void absorb(const Report &other) { report_.append(other); }

	Spec spec() const { return spec_; }
	bool atLeast(Spec s) const { return spec_ >= s; }

	// Entries at the current path plus `rel`.
	void error(std::initializer_list<PathElement> rel, std::string msg) { add(Severity::Error, rel, std::move(msg)); }
	void warning(std::initializer_list<PathElement> rel, std::string msg) { add(Severity::Warning, rel, std::move(msg)); }
	void error(std::string msg) { add(Severity::Error, {}, std::move(msg)); }
	// Adds an entry only when `msg` is non-empty (Go's AddOnError(c, nil) is a no-op).
	void errorIf(std::initializer_list<PathElement> rel, const std::string &msg)
	{
		if (!msg.empty())
			error(rel, msg);
	}

	// Enters a child path for the lifetime of the returned guard.
	class Scope final
	{
	public:
		Scope(Ctx &c, PathElement e) : c_(c) { c_.path_.push_back(std::move(e)); }
		~Scope() { c_.path_.pop_back(); }
		Scope(const Scope &) = delete;
		Scope &operator=(const Scope &) = delete;

	private:
		Ctx &c_;
	};
	Scope enter(std::string_view key) { return Scope(*this, PathElement::ofKey(key)); }
	Scope enter(std::size_t index) { return Scope(*this, PathElement::ofIndex(static_cast<long>(index))); }

private:
	void add(Severity s, std::initializer_list<PathElement> rel, std::string msg)
	{
		Path p = path_;
		p.insert(p.end(), rel.begin(), rel.end());
		report_.add(s, std::move(p), std::move(msg));
	}

	Spec spec_;
	Report &report_;
	Path path_;
};

inline PathElement K(std::string_view k) { return PathElement::ofKey(k); }
inline PathElement I(std::size_t i) { return PathElement::ofIndex(static_cast<long>(i)); }

// Shared checks (validate.cpp). Each returns Ignition's message or "".
std::string checkPath(std::string_view p);
std::string checkPathOptional(const OptString &p);
std::string checkUrl(std::string_view url, Spec spec);
std::string checkUrlOptional(const OptString &url, Spec spec);
std::string checkRequiredSource(const OptString &source, Spec spec);
bool nilOrEmpty(const OptString &s);
bool isTrue(const OptBool &b);
bool isFalse(const OptBool &b);

// How a Resource is typed at this position in older specs.
enum class ResourceKind { FileContents, ConfigReference, CaReference, Resource };
void validateResource(Ctx &c, const Resource &r, ResourceKind kind);
void validateMode(Ctx &c, const OptInt &mode);

// Per section (validate_*.cpp).
void validateIgnition(Ctx &c, const Ignition &ign);
void validateKernelArguments(Ctx &c, const KernelArguments &k);
void validatePasswd(Ctx &c, const Passwd &p);
void validateStorage(Ctx &c, const Storage &s);
void validateSystemd(Ctx &c, const Systemd &s);
// Config-level checks that look across sections (spec 3.4+).
void validateCrossSection(Ctx &c, const Config &cfg);

// Duplicate keys in keyed lists (dups.cpp), Ignition's ValidateDups.
void validateDuplicates(Ctx &c, const Config &cfg);

} // namespace flint::config::detail
