// The flint executable's entry: multi-call by argv[0] (ignition, ignition-validate, flint).
#include "engine/cli.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>
#include <unistd.h>

#include "engine/fetch_command.h"
#include "engine/ignition_command.h"
#include "engine/log_categories.h"
#include "engine/validate_command.h"
#include "engine/version_string.h"
#include "flint/base/go.h"

FLINT_LOG_DEFINE_CATEGORY(Engine, "engine")

namespace flint::engine {

namespace {

constexpr const char *kHelp =
	"Flint: a first-boot provisioning agent compatible with CoreOS Ignition.\n"
	"\n"
	"Usage:\n"
	"  flint validate [-version] <config.ign|->      check a config (as ignition-validate)\n"
	"  flint fetch [flags] URL                       fetch a URL as the stages would (debugging)\n"
	"  flint ignition -platform P -stage S [flags]   run one stage (as ignition)\n"
	"  flint -platform P -stage S [flags]            the same\n"
	"  flint -version                                print the version\n"
	"  flint help                                    this text\n"
	"\n"
	"Installed or linked as `ignition` or `ignition-validate`, flint behaves as that tool.\n"
	"`flint ignition -help` lists the stage flags. Exit codes: 0 ok, 1 failure, 2 usage error,\n"
	"3 unreadable state file.\n";

// The only place Flint reads its environment.
FetchEnvironment fetchEnvironment()
{
	FetchEnvironment fe;
	if (const char *v = std::getenv("FLINT_S3_ENDPOINT"))
		fe.s3Endpoint = v;
	if (const char *v = std::getenv("FLINT_GCS_ENDPOINT"))
		fe.gcsEndpoint = v;
	if (const char *v = std::getenv("FLINT_CONSOLE"))
		fe.consolePath = v;
	else if (access("/etc/initrd-release", F_OK) == 0)
		fe.consolePath = "/dev/console";
	return fe;
}

// FLINT_DEVICE_TIMEOUT: seconds, a decimal fraction allowed ("90", "2.5").
// Returns why the text is not usable, or an empty string.
std::string parseDeviceTimeout(const std::string &text, std::chrono::milliseconds &out)
{
	const std::string why = "FLINT_DEVICE_TIMEOUT=" + go::quote(text) +
				" is not a number of seconds (for example 90 or 2.5)";
	std::size_t dot = text.find('.');
	std::string whole = text.substr(0, dot);
	std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
	auto digits = [](const std::string &s) {
		return s.find_first_not_of("0123456789") == std::string::npos;
	};
	if ((whole.empty() && frac.empty()) || !digits(whole) || !digits(frac) ||
	    (dot != std::string::npos && frac.empty()))
		return why;
	// At most a week: anything longer is a typo, and stays far from overflow.
	constexpr long long kMaxSeconds = 7 * 24 * 3600;
	whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
	if (whole.size() > 7 || (whole.empty() ? 0 : std::stoll(whole)) > kMaxSeconds)
		return "FLINT_DEVICE_TIMEOUT=" + go::quote(text) + " is more than a week (" +
		       std::to_string(kMaxSeconds) + " seconds)";
	long long ms = (whole.empty() ? 0 : std::stoll(whole)) * 1000;
	frac.resize(3, '0');
	ms += std::stoll(frac);
	out = std::chrono::milliseconds(ms);
	return {};
}

ProviderInputs providerInputs()
{
	ProviderInputs in;
	if (const char *f = std::getenv("IGNITION_CONFIG_FILE"))
		in.configFileEnv = f;
	auto env = [](const char *name) -> std::string {
		const char *v = std::getenv(name);
		return v ? v : "";
	};
	if (std::string p = env("IGNITION_KERNEL_CMDLINE_PATH"); !p.empty())
		in.kernelCmdlinePath = p;
	const char *dirVars[] = { "IGNITION_SYSTEM_RUNTIME_CONFIG_DIR", "IGNITION_SYSTEM_LOCAL_CONFIG_DIR",
				  "IGNITION_SYSTEM_CONFIG_DIR" };
	for (std::size_t i = 0; i < in.systemConfigDirs.size(); i++)
		if (std::string d = env(dirVars[i]); !d.empty())
			in.systemConfigDirs[i] = d;
	in.fetch = fetchEnvironment();
	if (std::string d = env("FLINT_DISK_BY_LABEL_DIR"); !d.empty())
		in.diskByLabelDir = d;
	if (std::string t = env("FLINT_DEVICE_TIMEOUT"); !t.empty())
		in.deviceTimeoutError = parseDeviceTimeout(t, in.deviceTimeout);
	// Ignition's distro.WriteAuthorizedKeysFragment(): the environment
	// overrides the built-in "true" with any value Go's ParseBool reads.
	if (std::string v = env("IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT"); !v.empty())
		in.authorizedKeysFragment = !(v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" ||
					      v == "False");
	return in;
}

bool isHelpWord(const std::string &a)
{
	return a == "help" || a == "-h" || a == "-help" || a == "--h" || a == "--help";
}

int runFlint(const std::vector<std::string> &args)
{
	if (args.empty()) {
		std::fputs(kHelp, stderr);
		return 2;
	}
	const std::string &cmd = args[0];
	std::vector<std::string> rest(args.begin() + 1, args.end());
	if (cmd == "validate")
		return runValidate("flint validate", rest);
	if (cmd == "ignition")
		return runIgnition("flint ignition", rest, providerInputs());
	if (cmd == "fetch")
		return runFetch(rest, fetchEnvironment());
	if (isHelpWord(cmd)) {
		std::fputs(kHelp, stdout);
		return 0;
	}
	if (cmd == "version") {
		std::printf("%s\n", versionString().c_str());
		return 0;
	}
	if (cmd.size() > 1 && cmd[0] == '-')
		return runIgnition("flint", args, providerInputs());
	std::fprintf(stderr, "flint: unknown command %s\n\n%s", go::quote(cmd).c_str(), kHelp);
	return 2;
}

} // namespace

int run(int argc, char **argv)
{
	// A tool that exits before reading all of its stdin (setfiles fed a
	// path list) must give us EPIPE, not kill us.
	std::signal(SIGPIPE, SIG_IGN);
	try {
		std::string argv0 = argc > 0 && argv[0] ? argv[0] : "flint";
		std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
		std::string name = go::pathBase(argv0);
		if (name == "ignition-validate")
			return runValidate(argv0, args);
		if (name == "ignition")
			return runIgnition(argv0, args, providerInputs());
		return runFlint(args);
	} catch (const std::exception &e) {
		// Last resort: expected failures are Results, never exceptions.
		std::fprintf(stderr, "flint: internal error: %s\n", e.what());
		return 1;
	}
}

} // namespace flint::engine
