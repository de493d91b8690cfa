// go-systemd v22 unit.Deserialize, re-implemented so that Flint accepts and
// rejects unit file contents with exactly Ignition's decisions and messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"

namespace flint {

// One "Name=Value" line (continuations joined) and the section it is in.
struct UnitOption {
	std::string section;
	std::string name;
	std::string value;
};

// unit.Deserialize(strings.NewReader(contents)). Errors are go-systemd's
// bare texts ("unable to find end of section", "line too long (max 2048
// bytes)", "EOF", ...); Ignition reports them as "invalid unit content: <err>".
// Note go-systemd's 2048-byte line check depends on its 4096-byte bufio
// buffer, which is simulated here, so it is not a plain line-length check.
Result<std::vector<UnitOption>> parseUnitFile(std::string_view contents);

} // namespace flint
