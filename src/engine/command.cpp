// Running an external tool as Ignition's LogCmd does: logged as an operation, output captured.
#include "engine/command.h"

#include "engine/log_categories.h"
#include "flint/base/log.h"
#include "flint/system/exec.h"

namespace flint::engine {

std::string quotedCommand(const std::vector<std::string> &argv)
{
	return system::quotedCommand(argv);
}

Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what)
{
	return log::logOperation(what, [&]() -> Result<void> {
		LOG(Engine, Debug) << "executing: " << quotedCommand(argv);
		return system::runTool(argv);
	});
}

} // namespace flint::engine
