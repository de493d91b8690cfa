// Command-line flags parsed exactly as Go's flag package does, and Ignition's flag set.
#include "engine/flags.h"

#include <algorithm>
#include <cstdio>

#include "engine/platforms.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

constexpr std::uint64_t kMaxNeg = 1ULL << 63; // |math.MinInt64|

// time's leadingInt: [0-9]* with overflow detection.
bool leadingInt(std::string_view &s, std::uint64_t &x)
{
	std::size_t i = 0;
	x = 0;
	for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++) {
		if (x > kMaxNeg / 10)
			return false;
		x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
		if (x > kMaxNeg)
			return false;
	}
	s.remove_prefix(i);
	return true;
}

// time's leadingFraction: [0-9]* after '.', ignoring digits that overflow.
void leadingFraction(std::string_view &s, std::uint64_t &x, double &scale)
{
	std::size_t i = 0;
	x = 0;
	scale = 1;
	bool overflow = false;
	for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++) {
		if (overflow)
			continue;
		if (x > (kMaxNeg - 1) / 10) {
			overflow = true;
			continue;
		}
		std::uint64_t y = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
		if (y > kMaxNeg) {
			overflow = true;
			continue;
		}
		x = y;
		scale *= 10;
	}
	s.remove_prefix(i);
}

std::optional<std::uint64_t> unitNs(std::string_view u)
{
	static const std::pair<std::string_view, std::uint64_t> units[] = {
		{ "ns", 1ULL },
		{ "us", 1000ULL },
		{ "\xc2\xb5s", 1000ULL }, // U+00B5 micro sign
		{ "\xce\xbcs", 1000ULL }, // U+03BC Greek mu
		{ "ms", 1000000ULL },
		{ "s", 1000000000ULL },
		{ "m", 60ULL * 1000000000ULL },
		{ "h", 3600ULL * 1000000000ULL },
	};
	for (const auto &[name, ns] : units)
		if (name == u)
			return ns;
	return std::nullopt;
}

// fmt's %v of a time.Duration for the fraction part: "1.5" from 1500000000 / 1e9.
void appendFrac(std::string &out, std::uint64_t &v, int prec)
{
	std::string digits;
	bool print = false;
	for (int i = 0; i < prec; i++) {
		int digit = static_cast<int>(v % 10);
		print = print || digit != 0;
		if (print)
			digits.insert(digits.begin(), static_cast<char>('0' + digit));
		v /= 10;
	}
	if (print)
		out += "." + digits;
}

} // namespace

std::optional<std::int64_t> parseGoDuration(std::string_view s)
{
	bool neg = false;
	if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s.remove_prefix(1);
	}
	if (s == "0")
		return 0;
	if (s.empty())
		return std::nullopt;

	std::uint64_t d = 0;
	while (!s.empty()) {
		if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
			return std::nullopt;
		std::size_t before = s.size();
		std::uint64_t v = 0;
		if (!leadingInt(s, v))
			return std::nullopt;
		bool pre = before != s.size();

		std::uint64_t f = 0;
		double scale = 1;
		bool post = false;
		if (!s.empty() && s[0] == '.') {
			s.remove_prefix(1);
			std::size_t pl = s.size();
			leadingFraction(s, f, scale);
			post = pl != s.size();
		}
		if (!pre && !post)
			return std::nullopt;

		std::size_t i = 0;
		while (i < s.size() && !(s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
			i++;
		if (i == 0)
			return std::nullopt; // missing unit
		std::optional<std::uint64_t> unit = unitNs(s.substr(0, i));
		s.remove_prefix(i);
		if (!unit)
			return std::nullopt; // unknown unit
		if (v > kMaxNeg / *unit)
			return std::nullopt;
		v *= *unit;
		if (f > 0) {
			v += static_cast<std::uint64_t>(static_cast<double>(f) *
							(static_cast<double>(*unit) / scale));
			if (v > kMaxNeg)
				return std::nullopt;
		}
		d += v;
		if (d > kMaxNeg)
			return std::nullopt;
	}
	if (neg)
		return d == kMaxNeg ? INT64_MIN : -static_cast<std::int64_t>(d);
	if (d > kMaxNeg - 1)
		return std::nullopt;
	return static_cast<std::int64_t>(d);
}

std::string formatGoDuration(std::int64_t ns)
{
	// time.Duration.String, for whole-second-or-larger and sub-second values.
	if (ns == 0)
		return "0s";
	bool neg = ns < 0;
	std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
	std::string out;
	if (u < 1000000000ULL) {
		const char *unit = "ns";
		int prec = 0;
		if (u >= 1000000ULL) {
			unit = "ms";
			prec = 6;
		} else if (u >= 1000ULL) {
			unit = "\xc2\xb5s";
			prec = 3;
		}
		std::string frac;
		appendFrac(frac, u, prec);
		out = std::to_string(u) + frac + unit;
	} else {
		std::string frac;
		appendFrac(frac, u, 9);
		std::uint64_t secs = u % 60;
		u /= 60;
		out = std::to_string(secs) + frac + "s";
		if (u > 0) {
			out = std::to_string(u % 60) + "m" + out;
			u /= 60;
			if (u > 0)
				out = std::to_string(u) + "h" + out;
		}
	}
	return neg ? "-" + out : out;
}

std::optional<bool> parseGoBool(std::string_view s)
{
	if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True")
		return true;
	if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False")
		return false;
	return std::nullopt;
}

void FlagSet::addBool(std::string name, bool *target, std::string usage)
{
	Flag f{ std::move(name), "", std::move(usage), *target ? "true" : "", false, true, {} };
	f.set = [target](std::string_view v) -> Result<void> {
		std::optional<bool> b = parseGoBool(v);
		if (!b)
			return unexpected("parse error");
		*target = *b;
		return {};
	};
	flags_.push_back(std::move(f));
}

void FlagSet::addString(std::string name, std::string *target, std::string usage)
{
	Flag f{ std::move(name), "string", std::move(usage), *target, true, false, {} };
	f.set = [target](std::string_view v) -> Result<void> {
		*target = std::string(v);
		return {};
	};
	flags_.push_back(std::move(f));
}

void FlagSet::addDuration(std::string name, std::int64_t *target, std::string usage)
{
	Flag f{ std::move(name), "duration", std::move(usage), *target ? formatGoDuration(*target) : "",
		false, false, {} };
	f.set = [target](std::string_view v) -> Result<void> {
		std::optional<std::int64_t> d = parseGoDuration(v);
		if (!d)
			return unexpected("parse error");
		*target = *d;
		return {};
	};
	flags_.push_back(std::move(f));
}

void FlagSet::addValue(std::string name, Setter setter, std::string usage)
{
	flags_.push_back(Flag{ std::move(name), "value", std::move(usage), "", false, false, std::move(setter) });
}

const FlagSet::Flag *FlagSet::find(std::string_view name) const
{
	for (const Flag &f : flags_)
		if (f.name == name)
			return &f;
	return nullptr;
}

FlagSet::Status FlagSet::parse(const std::vector<std::string> &args)
{
	error_.clear();
	args_.clear();
	std::size_t i = 0;
	while (i < args.size()) {
		const std::string &s = args[i];
		if (s.size() < 2 || s[0] != '-')
			break;
		std::size_t minuses = 1;
		if (s[1] == '-') {
			minuses = 2;
			if (s.size() == 2) { // "--" terminates the flags
				i++;
				break;
			}
		}
		std::string name = s.substr(minuses);
		if (name.empty() || name[0] == '-' || name[0] == '=') {
			error_ = "bad flag syntax: " + s;
			return Status::Error;
		}
		i++;

		bool hasValue = false;
		std::string value;
		if (std::size_t eq = name.find('=', 1); eq != std::string::npos) {
			value = name.substr(eq + 1);
			hasValue = true;
			name.resize(eq);
		}

		const Flag *flag = find(name);
		if (!flag) {
			if (name == "help" || name == "h")
				return Status::Help;
			error_ = "flag provided but not defined: -" + name;
			return Status::Error;
		}

		if (flag->isBool) {
			if (hasValue) {
				if (Result<void> r = flag->set(value); !r) {
					error_ = "invalid boolean value " + go::quote(value) + " for -" + name + ": " +
						 r.error().message();
					return Status::Error;
				}
			} else if (Result<void> r = flag->set("true"); !r) {
				error_ = "invalid boolean flag " + name + ": " + r.error().message();
				return Status::Error;
			}
			continue;
		}

		if (!hasValue && i < args.size()) {
			value = args[i++];
			hasValue = true;
		}
		if (!hasValue) {
			error_ = "flag needs an argument: -" + name;
			return Status::Error;
		}
		if (Result<void> r = flag->set(value); !r) {
			error_ = "invalid value " + go::quote(value) + " for flag -" + name + ": " + r.error().message();
			return Status::Error;
		}
	}
	args_.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
	return Status::Ok;
}

std::string FlagSet::defaults() const
{
	std::vector<const Flag *> sorted;
	for (const Flag &f : flags_)
		sorted.push_back(&f);
	std::sort(sorted.begin(), sorted.end(), [](const Flag *a, const Flag *b) { return a->name < b->name; });

	std::string out;
	for (const Flag *f : sorted) {
		std::string b = "  -" + f->name;
		if (!f->typeName.empty())
			b += " " + f->typeName;
		// Go: a one-letter flag without a type name keeps its usage on the same line.
		b += b.size() <= 4 ? "\t" : "\n    \t";
		std::string usage = f->usage;
		for (std::size_t p = 0; (p = usage.find('\n', p)) != std::string::npos; p += 6)
			usage.replace(p, 1, "\n    \t");
		b += usage;
		if (!f->defaultText.empty())
			b += " (default " + (f->quoteDefault ? go::quote(f->defaultText) : f->defaultText) + ")";
		out += b + "\n";
	}
	return out;
}

const std::vector<std::string_view> &stageNames()
{
	static const std::vector<std::string_view> names = {
		"disks", "fetch", "fetch-offline", "files", "kargs", "mount", "umount",
	};
	return names;
}

namespace {

std::string bracketList(const std::vector<std::string_view> &names)
{
	std::string out = "[";
	for (std::size_t i = 0; i < names.size(); i++) {
		if (i)
			out += " ";
		out += names[i];
	}
	return out + "]";
}

// The flag set bound to `o`; shared by the parser and the usage text.
FlagSet ignitionFlagSet(IgnitionOptions &o)
{
	FlagSet set;
	set.addString("config-cache", &o.configCache, "where to cache the config");
	set.addDuration("fetch-timeout", &o.fetchTimeoutNs, "initial duration for which to wait for config");
	set.addString("neednet", &o.needNet, "flag file to write from fetch-offline if networking is needed");
	set.addValue(
		"platform",
		[&o](std::string_view v) -> Result<void> {
			if (Result<void> r = checkPlatformName(v); !r)
				return r;
			o.platform = std::string(v);
			return {};
		},
		"current platform. " + bracketList(supportedPlatformNames()));
	set.addString("root", &o.root, "root of the filesystem");
	set.addValue(
		"stage",
		[&o](std::string_view v) -> Result<void> {
			const auto &names = stageNames();
			if (std::find(names.begin(), names.end(), v) == names.end())
				return unexpected(std::string(v) + " is not a valid stage");
			o.stage = std::string(v);
			return {};
		},
		"execution stage. " + bracketList(stageNames()));
	set.addString("state-file", &o.stateFile, "where to store internal state");
	set.addBool("version", &o.version, "print the version and exit");
	set.addBool("log-to-stdout", &o.logToStdout, "log to stdout instead of the system log when set");
	return set;
}

} // namespace

IgnitionCommandLine parseIgnitionFlags(const std::vector<std::string> &args)
{
	IgnitionCommandLine cl;
	FlagSet set = ignitionFlagSet(cl.options);
	switch (set.parse(args)) {
	case FlagSet::Status::Help:
		cl.action = IgnitionCommandLine::Action::Help;
		return cl;
	case FlagSet::Status::Error:
		cl.action = IgnitionCommandLine::Action::BadFlag;
		cl.message = set.error();
		return cl;
	case FlagSet::Status::Ok:
		break;
	}
	// Ignition ignores positional arguments.
	if (cl.options.version) {
		cl.action = IgnitionCommandLine::Action::Version;
	} else if (cl.options.platform.empty()) {
		cl.action = IgnitionCommandLine::Action::Missing;
		cl.message = "'--platform' must be provided";
	} else if (cl.options.stage.empty()) {
		cl.action = IgnitionCommandLine::Action::Missing;
		cl.message = "'--stage' must be provided";
	}
	return cl;
}

std::string ignitionUsage(std::string_view argv0)
{
	IgnitionOptions defaults;
	return "Usage of " + std::string(argv0) + ":\n" + ignitionFlagSet(defaults).defaults();
}

} // namespace flint::engine
