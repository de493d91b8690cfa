// System configs: user.ign and the base.d / base.platform.d fragments a distribution ships.
#include "engine/system_config.h"

#include <cerrno>
#include <dirent.h>
#include <map>
#include <sys/stat.h>

#include "engine/fsutil.h"
#include "engine/log_categories.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

// The names in `dir` (not . and ..); nullopt when `dir` does not exist.
Result<std::optional<std::vector<std::string>>> listDir(const std::string &dir)
{
	DIR *d = opendir(dir.c_str());
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return std::optional<std::vector<std::string>>();
		return unexpected(errnoError("open " + dir, errno));
	}
	std::vector<std::string> names;
	errno = 0;
	while (struct dirent *e = readdir(d)) {
		std::string name = e->d_name;
		if (name != "." && name != "..")
			names.push_back(std::move(name));
	}
	int err = errno;
	closedir(d);
	if (err)
		return unexpected(errnoError("read " + dir, err));
	return std::optional<std::vector<std::string>>(std::move(names));
}

// One fragment directory (relative `sub`) merged over all `dirs`.
Result<std::vector<SystemConfigFile>> readFragmentDir(const std::vector<std::string> &dirs, const std::string &sub)
{
	std::map<std::string, std::string> byName; // name -> path, highest priority wins
	bool any = false;
	for (const std::string &dir : dirs) {
		std::string path = dir + "/" + sub;
		Result<std::optional<std::vector<std::string>>> names = listDir(path);
		if (!names) {
			LOG(Engine, Error) << "couldn't read config dir " << go::quote(path) << ": " << names.error().message();
			return unexpected(names.error());
		}
		if (!*names) {
			LOG(Engine, Info) << "no config dir at " << go::quote(path);
			continue;
		}
		any = true;
		for (const std::string &n : **names)
			byName.emplace(n, path + "/" + n);
	}
	std::vector<SystemConfigFile> out;
	if (any && byName.empty())
		LOG(Engine, Info) << "no configs at " << go::quote(sub);
	for (const auto &[name, path] : byName) {
		struct stat st;
		if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
			return unexpected(Error("base config " + go::quote(path) + " is a directory; only files are allowed in " +
						sub));
		LOG(Engine, Info) << "reading system config file " << go::quote(path);
		Result<std::string> raw = readFile(path);
		if (!raw) {
			LOG(Engine, Error) << "couldn't read config " << go::quote(path) << ": " << raw.error().message();
			return unexpected(raw.error());
		}
		out.push_back(SystemConfigFile{ path, std::move(*raw) });
	}
	return out;
}

} // namespace

Result<std::optional<SystemConfigFile>> readUserConfig(const std::vector<std::string> &dirs)
{
	for (const std::string &dir : dirs) {
		std::string path = dir + "/user.ign";
		LOG(Engine, Info) << "reading system config file " << go::quote(path);
		if (!pathExists(path)) {
			LOG(Engine, Info) << "no config at " << go::quote(path);
			continue;
		}
		Result<std::string> raw = readFile(path);
		if (!raw) {
			LOG(Engine, Error) << "couldn't read config " << go::quote(path) << ": " << raw.error().message();
			return unexpected(raw.error());
		}
		return std::optional<SystemConfigFile>(SystemConfigFile{ path, std::move(*raw) });
	}
	return std::optional<SystemConfigFile>();
}

Result<std::vector<SystemConfigFile>> readBaseConfigs(const std::vector<std::string> &dirs, std::string_view platform)
{
	Result<std::vector<SystemConfigFile>> base = readFragmentDir(dirs, "base.d");
	if (!base)
		return base;
	Result<std::vector<SystemConfigFile>> plat = readFragmentDir(dirs, "base.platform.d/" + std::string(platform));
	if (!plat)
		return plat;
	for (auto &f : *plat)
		base->push_back(std::move(f));
	return base;
}

} // namespace flint::engine
