// SELinux relabelling of what the stage created, with setfiles, when the target root has a policy.
#include "files_internal.h"

#include <algorithm>
#include <iterator>

#include "flint/base/go.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

namespace flint::stages::files {

Result<Relabeler> Relabeler::forRoot(system::RootDir &root)
{
	Relabeler r;
	Result<std::optional<std::string>> text = root.readFile(distro::kSelinuxConfigPath);
	if (!text)
		return unexpected(text.error().withContext("reading the SELinux config"));
	if (!*text) {
		// Ignition 2.14 fails the stage here; a root without a policy
		// simply needs no labels.
		LOG(Files, Debug) << "no " << root.hostPath(distro::kSelinuxConfigPath)
				  << ": the root has no SELinux policy, nothing will be relabelled";
		return r;
	}
	std::string_view rest = **text;
	while (!rest.empty()) {
		std::size_t nl = rest.find('\n');
		std::string_view line = go::trimSpace(rest.substr(0, nl));
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
		constexpr std::string_view kKey = "SELINUXTYPE=";
		if (line.substr(0, kKey.size()) != kKey)
			continue;
		std::string_view policy = line.substr(kKey.size());
		if (policy.empty())
			return unexpected("invalid SELINUXTYPE value in " + std::string(distro::kSelinuxConfigPath));
		r.policy_ = std::string(policy);
		return r;
	}
	return unexpected("didn't find SELINUXTYPE in " + std::string(distro::kSelinuxConfigPath));
}

void Relabeler::add(std::string path)
{
	if (enabled())
		paths_.push_back(std::move(path));
}

void Relabeler::addFirstMissing(system::RootDir &root, std::string_view path)
{
	if (!enabled())
		return;
	std::string entry(path);
	std::string dir = go::pathDir(entry);
	while (dir != "/") {
		Result<std::optional<struct stat>> st = root.stat(dir);
		if (!st || *st)
			break;
		entry = dir;
		dir = go::pathDir(dir);
	}
	paths_.push_back(std::move(entry));
}

void Relabeler::absorb(Relabeler &&other)
{
	if (!enabled())
		return;
	paths_.insert(paths_.end(), std::make_move_iterator(other.paths_.begin()),
		      std::make_move_iterator(other.paths_.end()));
	other.paths_.clear();
}

Result<void> Relabeler::run(system::RootDir &root) const
{
	if (!enabled() || paths_.empty())
		return {};
	std::vector<std::string> paths = paths_;
	std::sort(paths.begin(), paths.end());
	paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
	std::string input;
	for (const std::string &p : paths) {
		input += root.hostPath(p);
		input += '\0';
	}
	std::vector<std::string> argv{ distro::kSetfilesCmd, "-vF0", "-r", root.path(),
				       root.hostPath("/etc/selinux/" + policy_ + "/contexts/files/file_contexts"),
				       "-f", "-" };
	return log::logOperation("relabeling " + std::to_string(paths.size()) + " patterns", [&]() -> Result<void> {
		LOG(Files, Debug) << "executing: " << system::quotedCommand(argv);
		return system::runTool(argv, input);
	});
}

} // namespace flint::stages::files
