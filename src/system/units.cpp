// systemd units, drop-ins, masks and presets written under a target root, as Ignition's files stage does.
#include "flint/system/units.h"


#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "flint/base/fd_io.h"
#include "flint/base/go.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

namespace flint::system {

namespace {

Result<void> writeAll(int fd, std::string_view data, const std::string &display)
{
	if (Result<void> r = flint::writeAll(fd, data); !r)
		return unexpected(Error("write " + display + ": " + std::strerror(r.error().errnum()), r.error().errnum()));
	return {};
}

// Ignition's MkdirForFile and PerformFetch: leading directories 0755, the
// contents written to a temporary file beside the target (0644 whatever the
// umask) and renamed over it, so a reader never sees a partial unit and an
// existing file or symlink there is replaced, not written through. Not
// fsynced one by one: the files stage syncs the root once at its end.
Result<void> replaceFile(RootDir &root, const std::string &path, std::string_view contents)
{
	if (Result<std::vector<std::string>> d = root.mkdirAll(go::pathDir(path), 0755); !d)
		return unexpected(d.error());
	Result<TempFile> temp = root.createTempBeside(path);
	if (!temp)
		return unexpected(temp.error());
	if (Result<void> w = writeAll(temp->fd(), contents, root.hostPath(path)); !w)
		return w;
	return temp->commit(TempFile::Sync::Deferred);
}

// The unit's root-relative path, joined and cleaned as Ignition's JoinPath
// does, so a ".." in the name cannot climb above the root.
Result<std::string> unitPath(std::string_view unitName)
{
	// Without this guard an empty name would make the unit directory itself
	// the target, and maskUnit would remove it.
	if (unitName.empty())
		return unexpected(Error("empty unit name", EINVAL));
	return go::pathJoin(kSystemdUnitsDir, unitName);
}

// Ignition's IsUnitMasked: a symlink whose target is exactly "/dev/null". A
// missing entry or leading directory (ENOENT) or a non-symlink (EINVAL) is
// simply not masked.
Result<bool> masked(RootDir &root, const std::string &path)
{
	Result<std::string> target = root.readlink(path);
	if (!target) {
		if (target.error().errnum() == ENOENT || target.error().errnum() == EINVAL)
			return false;
		return unexpected(target.error());
	}
	return *target == "/dev/null";
}

} // namespace

Result<void> writeUnit(RootDir &root, std::string_view unitName, std::string_view contents)
{
	Result<std::string> path = unitPath(unitName);
	if (!path)
		return unexpected(path.error());
	return replaceFile(root, *path, contents);
}

Result<void> writeDropin(RootDir &root, std::string_view unitName, std::string_view dropinName,
			 std::string_view contents)
{
	if (unitName.empty() || dropinName.empty())
		return unexpected(Error("empty unit or drop-in name", EINVAL));
	std::string dir = go::pathJoin(kSystemdUnitsDir, std::string(unitName) + ".d");
	return replaceFile(root, go::pathJoin(dir, dropinName), contents);
}

Result<void> maskUnit(RootDir &root, std::string_view unitName)
{
	Result<std::string> path = unitPath(unitName);
	if (!path)
		return unexpected(path.error());
	if (Result<std::vector<std::string>> d = root.mkdirAll(go::pathDir(*path), 0755); !d)
		return unexpected(d.error());
	if (Result<void> rm = root.removeAll(*path); !rm)
		return rm;
	return root.symlink("/dev/null", *path);
}

Result<bool> isMasked(RootDir &root, std::string_view unitName)
{
	Result<std::string> path = unitPath(unitName);
	if (!path)
		return unexpected(path.error());
	return masked(root, *path);
}

Result<void> unmaskUnit(RootDir &root, std::string_view unitName)
{
	Result<std::string> path = unitPath(unitName);
	if (!path)
		return unexpected(path.error());
	Result<bool> m = masked(root, *path);
	if (!m)
		return unexpected(m.error());
	if (!*m)
		return {};
	Result<RootDir::Parent> p = root.parentOf(*path);
	if (!p)
		return unexpected(p.error());
	if (unlinkat(p->dir.get(), p->name.c_str(), 0) < 0 && errno != ENOENT)
		return unexpected(errnoError("remove " + root.hostPath(*path)));
	return {};
}

std::string presetFileContents(const std::vector<PresetEntry> &entries)
{
	// Ignition's Preset: one per (unit or template, state) key.
	struct Preset {
		std::string unit;
		bool enabled;
		bool instantiatable;
		std::vector<std::string> instances;
	};
	// A std::map iterates in byte order of its keys, which is Go's
	// sort.Strings order that Ignition HEAD writes in.
	std::map<std::string, Preset> presets;
	for (const PresetEntry &e : entries) {
		const std::string identifier = e.enabled ? "enabled" : "disabled";
		std::size_t at = e.unit.find('@');
		std::size_t dot = e.unit.rfind('.');
		// Validated names have an extension after any '@'; a name without
		// one (where Ignition would fail) is kept whole as a plain unit.
		if (at != std::string::npos && dot != std::string::npos && dot > at) {
			// echo@bar.service: template echo@.service, instance bar.
			// "echo@.service" itself gives an empty instance, and so the
			// line "enable echo@.service " with its trailing space, as
			// Ignition writes it.
			std::string tmpl = e.unit.substr(0, at + 1) + e.unit.substr(dot);
			std::string instance = e.unit.substr(at + 1, dot - at - 1);
			std::string key = tmpl + "-" + identifier;
			auto it = presets.find(key);
			if (it != presets.end())
				it->second.instances.push_back(std::move(instance));
			else
				presets.emplace(std::move(key), Preset{ std::move(tmpl), e.enabled, true, { std::move(instance) } });
		} else {
			// Ignition overwrites a repeated plain unit with the same
			// state (its duplicate check looks up the wrong key); the
			// config layer has rejected duplicate names by now anyway.
			presets.insert_or_assign(e.unit + "-" + identifier, Preset{ e.unit, e.enabled, false, {} });
		}
	}

	std::string out;
	for (const auto &[key, p] : presets) {
		out += p.enabled ? "enable " : "disable ";
		out += p.unit;
		if (p.instantiatable) {
			// Go's fmt.Sprintf("%s %s", unit, strings.Join(instances, " ")).
			out += ' ';
			for (std::size_t i = 0; i < p.instances.size(); i++) {
				if (i)
					out += ' ';
				out += p.instances[i];
			}
		}
		out += '\n';
	}
	return out;
}

Result<void> appendPresets(RootDir &root, const std::vector<PresetEntry> &entries)
{
	if (entries.empty())
		return {};
	std::string text = presetFileContents(entries);
	std::string path(kPresetPath);
	if (Result<std::vector<std::string>> d = root.mkdirAll(go::pathDir(path), 0755); !d)
		return unexpected(d.error());
	// openAppend refuses a symlink, so a link planted at the preset path
	// cannot redirect the append outside the root.
	Result<UniqueFd> fd = root.openAppend(path);
	if (!fd)
		return unexpected(fd.error());
	if (Result<void> w = writeAll(fd->get(), text, root.hostPath(path)); !w)
		return w;
	// Closed here rather than in the destructor, so its error is not lost.
	if (close(fd->release()) < 0)
		return unexpected(errnoError("close " + root.hostPath(path)));
	return {};
}

Result<bool> isEnabled(RootDir &root, std::string_view unit)
{
	std::vector<std::string> argv{ distro::kSystemctlCmd, "--root", root.path(), "is-enabled", std::string(unit) };
	Result<ExecOutput> o = execCapture(argv);
	if (!o)
		return unexpected(o.error().withContext("checking whether " + go::quote(unit) + " is enabled"));
	if (WIFSIGNALED(o->status))
		return unexpected(Error("checking whether " + go::quote(unit) + " is enabled: " + exitStatusText(o->status) +
					": Cmd: " + quotedCommand(argv)));
	return WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0;
}

Result<void> disableUnit(RootDir &root, std::string_view unit)
{
	std::vector<std::string> argv{ distro::kSystemctlCmd, "--root", root.path(), "disable", std::string(unit) };
	Result<ExecOutput> o = execCapture(argv);
	// Ignition's text: "cannot remove symlink(s) for %s: %v: %q" with the
	// combined output; stdout then stderr stands in for the interleaving.
	if (!o)
		return unexpected(o.error().withContext("cannot remove symlink(s) for " + std::string(unit)));
	if (WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0)
		return {};
	return unexpected(Error("cannot remove symlink(s) for " + std::string(unit) + ": " + exitStatusText(o->status) +
				": " + go::quote(o->out + o->err)));
}

} // namespace flint::system
