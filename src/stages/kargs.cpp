// The kargs stage: ignition-kargs-helper on an installed system, a check of the running command line on a live one.
#include "flint/stages/kargs.h"

#include <sys/wait.h>

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "flint/base/go.h"
#include "flint/base/log.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

FLINT_LOG_DEFINE_CATEGORY(Kargs, "kargs")

namespace flint::stages {

namespace {

// The command line's arguments, split on whitespace outside double quotes
// (an argument such as foo="a b" is one argument, quotes included).
std::vector<std::string> splitCmdline(std::string_view text)
{
	std::vector<std::string> out;
	std::string cur;
	bool quoted = false, any = false;
	for (char c : text) {
		if (c == '"')
			quoted = !quoted;
		if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
			if (any)
				out.push_back(std::move(cur));
			cur.clear();
			any = false;
			continue;
		}
		cur += c;
		any = true;
	}
	if (any)
		out.push_back(std::move(cur));
	return out;
}

Result<void> checkLive(const config::KernelArguments &kargs, const KargsContext &ctx)
{
	std::ifstream in(ctx.kernelCmdlinePath);
	if (!in)
		return unexpected("reading the kernel command line: open " + ctx.kernelCmdlinePath + ": " +
				  std::strerror(errno));
	std::stringstream ss;
	ss << in.rdbuf();
	std::vector<std::string> args = splitCmdline(ss.str());
	std::set<std::string> have(args.begin(), args.end());
	std::string missing, present;
	for (const std::string &a : kargs.shouldExist)
		if (!have.count(a))
			missing += (missing.empty() ? "" : ", ") + go::quote(a);
	for (const std::string &a : kargs.shouldNotExist)
		if (have.count(a))
			present += (present.empty() ? "" : ", ") + go::quote(a);
	if (missing.empty() && present.empty()) {
		LOG(Kargs, Info) << "live system: the kernel command line already has the requested arguments; nothing to change";
		return {};
	}
	std::string what;
	if (!missing.empty())
		what += "missing " + missing;
	if (!present.empty())
		what += (what.empty() ? "" : "; ") + std::string("present but must not be: ") + present;
	return unexpected("kernel arguments cannot be changed on a live system (" + what +
			  "): the running command line comes from the boot loader or PXE configuration; put them "
			  "there, or install the system to disk");
}

} // namespace

Result<void> runKargs(const config::KernelArguments &kargs, const KargsContext &ctx)
{
	if (kargs.shouldExist.empty() && kargs.shouldNotExist.empty())
		return {};

	Result<system::ExecOutput> live = system::execCapture({ distro::kIsLiveImageCmd });
	if (live && WIFEXITED(live->status) && WEXITSTATUS(live->status) == 0) {
		if (Result<void> r = checkLive(kargs, ctx); !r)
			return unexpected(r.error().withContext("failed adding kernel arguments"));
		return {};
	}

	std::vector<std::string> argv{ distro::kKargsHelperCmd };
	for (const std::string &a : kargs.shouldExist) {
		argv.emplace_back("--should-exist");
		argv.push_back(a);
	}
	for (const std::string &a : kargs.shouldNotExist) {
		argv.emplace_back("--should-not-exist");
		argv.push_back(a);
	}
	Result<void> r = log::logOperation("updating kernel arguments", [&]() -> Result<void> {
		LOG(Kargs, Debug) << "executing: " << system::quotedCommand(argv);
		return system::runTool(argv);
	});
	if (!r)
		return unexpected(r.error().withContext("failed adding kernel arguments"));
	return {};
}

} // namespace flint::stages
