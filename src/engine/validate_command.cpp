// `ignition-validate` / `flint validate`: check a config and print its report.
#include "engine/validate_command.h"

#include <cstdio>
#include <iostream>
#include <iterator>

#include "engine/flags.h"
#include "engine/fsutil.h"
#include "engine/version_string.h"
#include "flint/base/go.h"
#include "flint/config/config.h"

namespace flint::engine {

namespace {

// validate/main.go's stdout()/stderr(): the text trimmed, then one newline.
// (Ignition passes the report as a printf format, so a '%' in a message comes
// out as "%!d(MISSING)"; Flint prints the text as it is.)
void printLine(std::FILE *f, std::string_view text)
{
	std::string line(go::trimSpace(text));
	line += '\n';
	std::fwrite(line.data(), 1, line.size(), f);
	std::fflush(f);
}

Result<std::string> readInput(const std::string &arg)
{
	if (arg != "-")
		return readFile(arg);
	std::string data{ std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>() };
	if (std::cin.bad())
		return unexpected(Error("read /dev/stdin: input/output error"));
	return data;
}

} // namespace

int runValidate(std::string_view argv0, const std::vector<std::string> &args)
{
	bool version = false;
	FlagSet set;
	set.addBool("version", &version, "print the version of ignition-validate");
	auto usage = [&]() {
		std::string u = "Usage:\n  " + std::string(argv0) + " [flags] config.ign\n\n" + set.defaults();
		std::fwrite(u.data(), 1, u.size(), stderr);
	};

	switch (set.parse(args)) {
	case FlagSet::Status::Help:
		usage();
		return 0;
	case FlagSet::Status::Error:
		std::fprintf(stderr, "%s\n", set.error().c_str());
		usage();
		return 2;
	case FlagSet::Status::Ok:
		break;
	}

	if (version) {
		printLine(stdout, versionString());
		return 0;
	}
	if (set.args().size() != 1) {
		usage();
		return 1;
	}

	Result<std::string> raw = readInput(set.args()[0]);
	if (!raw) {
		printLine(stderr, "couldn't read config: " + raw.error().message());
		return 1;
	}

	config::ParseResult parsed = config::parse(*raw);
	if (!parsed.report.empty())
		printLine(stdout, parsed.report.toString());
	// Beyond Ignition: say what the input looks like (Butane, cloud-config,
	// spec 2.x) and what to do instead.
	auto hint = [&]() {
		if (!parsed.hint.empty())
			printLine(stderr, parsed.hint);
	};
	if (parsed.report.isFatal()) {
		hint();
		return 1;
	}
	if (parsed.error) {
		printLine(stderr, "couldn't parse config: " + std::string(config::parseErrorText(*parsed.error)));
		hint();
		return 1;
	}
	return 0;
}

} // namespace flint::engine
