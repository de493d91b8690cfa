// systemd.units: unit files, drop-ins, masks and the preset file, as Ignition's createUnits.
#include "files_internal.h"

#include "flint/base/go.h"
#include "flint/system/units.h"

namespace flint::stages::files {

namespace {

using system::RootDir;

std::string unitPath(std::string_view name)
{
	return std::string(system::kSystemdUnitsDir) + "/" + std::string(name);
}

Result<void> writeUnitFiles(const config::Unit &unit, RootDir &root, Relabeler &relabel)
{
	return log::logOperation("processing unit " + go::quote(unit.name), [&]() -> Result<void> {
		bool relabelledDropins = false;
		for (const config::Dropin &d : unit.dropins) {
			// A drop-in with contents "" is written; one without
			// contents is not.
			if (!d.contents)
				continue;
			std::string dir = unitPath(unit.name) + ".d";
			std::string path = dir + "/" + d.name;
			// Directories this creates are labelled too (Ignition
			// labels only the drop-in directory).
			if (!relabelledDropins)
				relabel.addFirstMissing(root, dir);
			if (Result<void> r = log::logOperation(
				    "writing systemd drop-in " + go::quote(d.name) + " at " + go::quote(root.hostPath(path)),
				    [&] { return system::writeDropin(root, unit.name, d.name, *d.contents); });
			    !r)
				return r;
			relabelledDropins = true;
		}
		// A unit with empty contents is not written (only its drop-ins).
		if (!unit.contents || unit.contents->empty())
			return {};
		std::string path = unitPath(unit.name);
		relabel.addFirstMissing(root, path);
		if (Result<void> r = log::logOperation(
			    "writing unit " + go::quote(unit.name) + " at " + go::quote(root.hostPath(path)),
			    [&] { return system::writeUnit(root, unit.name, *unit.contents); });
		    !r)
			return r;
		return {};
	});
}

Result<void> applyMask(const config::Unit &unit, RootDir &root, Relabeler &relabel)
{
	if (*unit.mask) {
		relabel.addFirstMissing(root, unitPath(unit.name));
		if (Result<void> r = log::logOperation("masking unit " + go::quote(unit.name),
						       [&] { return system::maskUnit(root, unit.name); });
		    !r)
			return r;
		return {};
	}
	Result<bool> masked = system::isMasked(root, unit.name);
	if (!masked)
		return unexpected(masked.error());
	if (!*masked)
		return {};
	return log::logOperation("unmasking unit " + go::quote(unit.name),
				 [&] { return system::unmaskUnit(root, unit.name); });
}

// "foo@a.service" -> "foo@.service"; the unit itself otherwise.
std::string templateOf(std::string_view unit)
{
	std::size_t at = unit.find('@');
	std::size_t dot = unit.rfind('.');
	if (at == std::string_view::npos || dot == std::string_view::npos || dot < at)
		return std::string(unit);
	return std::string(unit.substr(0, at + 1)) + std::string(unit.substr(dot));
}

} // namespace

Result<void> applyUnits(const config::Systemd &systemd, RootDir &root, Relabeler &relabel)
{
	std::vector<system::PresetEntry> presets;
	bool instances = false;
	for (const config::Unit &unit : systemd.units) {
		if (Result<void> r = writeUnitFiles(unit, root, relabel); !r)
			return r;
		if (unit.enabled) {
			presets.push_back({ unit.name, *unit.enabled });
			instances = instances || templateOf(unit.name) != unit.name;
		}
		if (unit.mask) {
			if (Result<void> r = applyMask(unit, root, relabel); !r)
				return r;
		}
	}
	if (presets.empty())
		return {};

	relabel.addFirstMissing(root, system::kPresetPath);
	// A "disable" preset does not undo enablement symlinks already in the
	// image, so those are removed first (fedora-coreos-tracker#392); only
	// for units that are enabled, unlike Ignition 2.14, which ran
	// `systemctl disable` for every one.
	for (const system::PresetEntry &p : presets) {
		if (p.enabled)
			continue;
		Result<bool> enabled = system::isEnabled(root, p.unit);
		if (!enabled)
			return unexpected(enabled.error());
		if (!*enabled)
			continue;
		if (Result<void> r = log::logOperation("removing enablement symlink(s) for " + go::quote(p.unit),
						       [&] { return system::disableUnit(root, p.unit); });
		    !r)
			return r;
	}
	std::string text = system::presetFileContents(presets);
	Result<void> r = log::logOperation("writing presets to " + go::quote(root.hostPath(system::kPresetPath)),
					   [&] { return system::appendPresets(root, presets); });
	if (!r)
		return r;
	for (std::string_view rest = text; !rest.empty();) {
		std::size_t nl = rest.find('\n');
		LOG(Files, Info) << "preset: " << rest.substr(0, nl);
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
	}
	if (instances)
		LOG(Files, Debug) << "instantiated units are preset; this needs systemd >= 240 in the target";
	return {};
}

} // namespace flint::stages::files
