// The kernel command line: where Ignition's cmdline provider finds its config.
#include "engine/cmdline.h"

namespace flint::engine {

namespace {

bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

std::vector<std::string> splitCmdline(std::string_view cmdline)
{
	std::vector<std::string> args;
	std::string cur;
	bool inArg = false, quoted = false;
	for (char c : cmdline) {
		if (c == '"') {
			quoted = !quoted;
			inArg = true;
			continue;
		}
		if (isSpace(c) && !quoted) {
			if (inArg)
				args.push_back(std::move(cur));
			cur.clear();
			inArg = false;
			continue;
		}
		cur.push_back(c);
		inArg = true;
	}
	if (inArg)
		args.push_back(std::move(cur));
	return args;
}

CmdlineConfig parseCmdline(std::string_view cmdline)
{
	CmdlineConfig out;
	for (const std::string &arg : splitCmdline(cmdline)) {
		std::size_t eq = arg.find('=');
		if (eq == std::string::npos)
			continue;
		std::string_view key = std::string_view(arg).substr(0, eq);
		std::string value = arg.substr(eq + 1);
		if (key == "ignition.config.url")
			out.url = std::move(value);
		else if (key == "ignition.config.device")
			out.device = std::move(value);
		else if (key == "ignition.config.path")
			out.path = std::move(value);
	}
	return out;
}

} // namespace flint::engine
