// systemd units, drop-ins, masks and presets written under a target root, as Ignition's files stage does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"
#include "flint/system/root_dir.h"

namespace flint::system {

// Where units, drop-in directories and masks go, relative to the root.
inline constexpr std::string_view kSystemdUnitsDir = "/etc/systemd/system";

// The preset file Ignition appends to, relative to the root.
inline constexpr std::string_view kPresetPath = "/etc/systemd/system-preset/20-ignition.preset";

// All functions below work through the caller's RootDir for the target root
// ("/sysroot"), so nothing resolves outside it: unit and drop-in names
// (taken as the config layer validated them) are joined to their directory
// and cleaned lexically, and symlinks in leading components are followed as
// if chrooted, both as Ignition's JoinPath does. Leading directories are
// created 0755 (less the umask, as Go's MkdirAll).

// Writes <root>/etc/systemd/system/<unitName>, mode 0644, replacing whatever
// file or symlink is there (written to a temporary file, then renamed over).
[[nodiscard]] Result<void> writeUnit(RootDir &root, std::string_view unitName, std::string_view contents);

// Writes <root>/etc/systemd/system/<unitName>.d/<dropinName> the same way.
[[nodiscard]] Result<void> writeDropin(RootDir &root, std::string_view unitName, std::string_view dropinName,
				       std::string_view contents);

// Removes whatever is at the unit's path (a directory recursively, as
// os.RemoveAll) and puts a symlink to /dev/null there.
[[nodiscard]] Result<void> maskUnit(RootDir &root, std::string_view unitName);

// Whether the unit's path is a symlink whose target is exactly "/dev/null".
// A missing path or leading directory, or a non-symlink, is "not masked".
// The stage asks first so that, like Ignition, it logs an unmask operation
// only when there is something to unmask.
[[nodiscard]] Result<bool> isMasked(RootDir &root, std::string_view unitName);

// Removes the unit's symlink only if it points to /dev/null; anything else
// (a unit file, another symlink, nothing) is left alone.
[[nodiscard]] Result<void> unmaskUnit(RootDir &root, std::string_view unitName);

// One unit's requested preset.
struct PresetEntry {
	std::string unit;
	bool enabled;
};

// The text Ignition HEAD writes to the preset file for these entries: one
// "enable <unit>" or "disable <unit>" line each, except that instances of a
// template with the same state share one line, "enable foo@.service a b",
// instances in entry order. Lines are sorted by the key "<unit>-enabled" or
// "<unit>-disabled" (for instances, <unit> is the template), byte by byte as
// Go's sort.Strings; Ignition 2.14 used Go's random map order instead.
// Empty for no entries.
std::string presetFileContents(const std::vector<PresetEntry> &entries);

// Appends presetFileContents(entries) to <root>/etc/systemd/system-preset/
// 20-ignition.preset (created 0644). Does nothing, and creates nothing, for
// no entries, as Ignition writes the file only when some unit has "enabled".
[[nodiscard]] Result<void> appendPresets(RootDir &root, const std::vector<PresetEntry> &entries);

// `systemctl --root <root.path()> is-enabled <unit>` (distro::kSystemctlCmd):
// true on exit status 0, false on any other exit status; an error only when
// systemctl cannot be run.
[[nodiscard]] Result<bool> isEnabled(RootDir &root, std::string_view unit);

// `systemctl --root <root.path()> disable <unit>`, which removes the unit's
// enablement symlinks so that the "disable" preset is not overridden by them.
[[nodiscard]] Result<void> disableUnit(RootDir &root, std::string_view unit);

} // namespace flint::system
