// Command-line flags parsed exactly as Go's flag package does, and Ignition's flag set.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"

namespace flint::engine {

// Go's time.ParseDuration, in nanoseconds ("2m0s", "1.5h", "300ms", "-1s", "0").
std::optional<std::int64_t> parseGoDuration(std::string_view s);

// Go's time.Duration.String for the values Flint prints ("2m0s", "1.5s", "0s").
std::string formatGoDuration(std::int64_t ns);

// Go's strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False.
std::optional<bool> parseGoBool(std::string_view s);

// A set of flags parsed as Go's flag package (FlagSet with ContinueOnError)
// does: "-f v", "-f=v", "--f", "--f=v"; booleans take no separate value; "--"
// ends the flags; the first non-flag argument ends them too.
class FlagSet final
{
public:
	// Receives the text of a value; an error message becomes
	// `invalid value "x" for flag -name: <message>`.
	using Setter = std::function<Result<void>(std::string_view)>;

	enum class Status {
		Ok,    // parsed; args() holds the rest
		Help,  // -h or -help given and not defined: print usage, exit 0
		Error, // error() holds Go's message: print it and the usage, exit 2
	};

	void addBool(std::string name, bool *target, std::string usage);
	void addString(std::string name, std::string *target, std::string usage);
	void addDuration(std::string name, std::int64_t *target, std::string usage);
	// A flag.Value: "value" in the usage, no default shown.
	void addValue(std::string name, Setter setter, std::string usage);

	Status parse(const std::vector<std::string> &args);

	const std::string &error() const { return error_; }
	const std::vector<std::string> &args() const { return args_; }

	// flag.PrintDefaults: one entry per flag, sorted by name.
	std::string defaults() const;

private:
	struct Flag {
		std::string name;
		std::string typeName; // "", "string", "duration", "value"
		std::string usage;
		std::string defaultText;
		bool quoteDefault = false;
		bool isBool = false;
		Setter set;
	};

	const Flag *find(std::string_view name) const;

	std::vector<Flag> flags_;
	std::string error_;
	std::vector<std::string> args_;
};

// Ignition's flags (internal/main.go) with Ignition's defaults.
struct IgnitionOptions {
	std::string configCache = "/run/ignition.json";
	std::int64_t fetchTimeoutNs = 2 * 60 * 1000000000LL;
	std::string needNet = "/run/ignition/neednet";
	std::string platform;
	std::string root = "/";
	std::string stage;
	std::string stateFile = "/run/ignition/state";
	bool version = false;
	bool logToStdout = false;
};

// What the command line asks for, in Ignition's order of checks.
struct IgnitionCommandLine {
	enum class Action {
		Run,       // run options.stage
		Version,   // print the version, exit 0
		Help,      // print usage to stderr, exit 0
		BadFlag,   // message + usage to stderr, exit 2
		Missing,   // message only ("'--platform' must be provided"), exit 2
	};
	Action action = Action::Run;
	IgnitionOptions options;
	std::string message;
};

// The stage names Ignition accepts, in its order.
const std::vector<std::string_view> &stageNames();

IgnitionCommandLine parseIgnitionFlags(const std::vector<std::string> &args);

// "Usage of <argv0>:\n" and the flag defaults, as Go prints them.
std::string ignitionUsage(std::string_view argv0);

} // namespace flint::engine
