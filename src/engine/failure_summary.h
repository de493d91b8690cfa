// The failure summary: the few lines every console shows when a stage stops the boot.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "flint/base/result.h"

namespace flint::engine {

// What went wrong in a stage, as the stage runner knows it. URLs may hold
// secrets: the formatter redacts them, in the error text too.
struct Failure {
	std::string stage;      // "disks"
	std::string operation;  // "fetching the config", "running the disks stage"
	std::string error;      // the error message, possibly several lines
	std::string configUrl;  // ignition.config.url (as given); empty when none
	std::string configPath; // a local config file (user.ign); empty when none
	std::string configCache; // the rendered config cache, when it exists
};

// Bounds of the summary: the error is wrapped at `width` columns and cut
// after `maxErrorLines` lines (the journal keeps the whole text).
struct SummaryLimits {
	std::size_t maxErrorLines = 10;
	std::size_t width = 64;
};

// The first line of every summary, for people and harnesses to grep.
std::string summaryHeadline(std::string_view stage);

// `text` with every URL (a scheme followed by "://", or a data: URL) up to
// the next blank or quote redacted as the fetcher does (credentials and
// query replaced, data: payload dropped).
std::string redactUrlsIn(std::string_view text);

// The summary: headline, operation, error (redacted, control characters
// replaced, wrapped and cut), config, next steps.
std::string formatFailureSummary(const Failure &failure, const SummaryLimits &limits = {});

// Where the summary is written: $FLINT_FAILURE_SUMMARY when set (empty
// means nowhere), else /run/flint/failure-summary inside an initramfs
// (/etc/initrd-release exists), else nowhere (a stage run by hand on a
// booted system leaves no file behind).
std::optional<std::string> failureSummaryPath();

// Writes the summary atomically (mode 0644, parent created).
[[nodiscard]] Result<void> writeFailureSummary(const std::string &path, std::string_view text);

} // namespace flint::engine
