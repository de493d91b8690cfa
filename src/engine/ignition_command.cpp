// `ignition` / `flint ignition`: Ignition's command line, logging and exit codes around one stage.
#include "engine/ignition_command.h"

#include <cstdio>

#include "engine/flags.h"
#include "engine/log_categories.h"
#include "engine/stage_runner.h"
#include "engine/state.h"
#include "engine/version_string.h"

namespace flint::engine {

namespace {

void printErr(const std::string &text)
{
	std::fwrite(text.data(), 1, text.size(), stderr);
	std::fflush(stderr);
}

} // namespace

int runIgnition(std::string_view argv0, const std::vector<std::string> &args, const ProviderInputs &inputs)
{
	IgnitionCommandLine cl = parseIgnitionFlags(args);
	switch (cl.action) {
	case IgnitionCommandLine::Action::Help:
		printErr(ignitionUsage(argv0));
		return 0;
	case IgnitionCommandLine::Action::BadFlag:
		printErr(cl.message + "\n" + ignitionUsage(argv0));
		return 2;
	case IgnitionCommandLine::Action::Missing:
		printErr(cl.message + "\n");
		return 2;
	case IgnitionCommandLine::Action::Version:
		std::printf("%s\n", versionString().c_str());
		return 0;
	case IgnitionCommandLine::Action::Run:
		break;
	}
	const IgnitionOptions &o = cl.options;

	log::Logger::instance().setSink(o.logToStdout ? log::Sink::Stdout : log::Sink::Journal);
	LOG(Engine, Info) << versionString();
	LOG(Engine, Info) << "Stage: " << o.stage;

	Result<State> state = State::load(o.stateFile);
	if (!state) {
		LOG(Engine, Critical) << "reading state: " << state.error().message();
		return 3;
	}

	StageRunner runner(o, inputs, *state);
	if (Result<void> r = runner.run(); !r) {
		LOG(Engine, Critical) << "Ignition failed: " << r.error().message();
		return 1;
	}
	if (Result<void> r = state->save(o.stateFile); !r) {
		LOG(Engine, Critical) << "writing state: " << r.error().message();
		return 1;
	}
	LOG(Engine, Info) << "Ignition finished successfully";
	return 0;
}

} // namespace flint::engine
