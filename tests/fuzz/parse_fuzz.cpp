// libFuzzer target: the config parser on arbitrary bytes, and the round trip
// parse -> toJson -> parse of whatever it accepts.
//
// Invariants checked (a violation aborts, which libFuzzer records as a crash):
//  - parse() never crashes, hangs or trips ASan/UBSan, whatever the input;
//  - a result has either a config or an error, and an error report is fatal;
//  - when the accepted config is also valid after translation to the latest
//    spec (validate(), as Ignition re-validates after merging), toJson() of it
//    parses back without errors, to an equal Config, and serialises to the
//    same bytes again;
//  - merge(emptyConfig(), c) == c, and merge(c, c) does not crash.
// Configs that are valid at their own version but not once translated (a 3.0
// merge entry without source, an empty 3.0-3.2 link target, a 3.3 file at a
// unit's path) are upstream behaviour and not round-tripped.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "flint/config/config.h"

namespace {

[[noreturn]] void fail(const char *what, std::string_view detail)
{
	std::fprintf(stderr, "parse_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()), detail.data());
	std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	namespace cfg = flint::config;
	const std::string_view raw(reinterpret_cast<const char *>(data), size);

	cfg::ParseResult r = cfg::parse(raw);
	if (r.config.has_value() == r.error.has_value())
		fail("parse() must return exactly one of config and error", r.report.toString());
	if (r.config && r.report.isFatal())
		fail("parse() returned a config with a fatal report", r.report.toString());
	(void)cfg::parseErrorText(r.error.value_or(cfg::ParseError::Invalid));
	if (!r.config)
		return 0;

	// Ignition re-validates the translated config; only such configs must round-trip.
	if (cfg::validate(*r.config).isFatal())
		return 0;

	const std::string json = cfg::toJson(*r.config);
	cfg::ParseResult back = cfg::parse(json);
	if (!back.config || back.report.isFatal())
		fail("toJson() output does not parse back", json + "\n" + back.report.toString());
	if (!(*back.config == *r.config))
		fail("toJson() output parses back to a different config", json + "\n" + cfg::toJson(*back.config));
	const std::string again = cfg::toJson(*back.config);
	if (again != json)
		fail("toJson() is not stable across a round trip", json + "\n" + again);
	(void)cfg::toJson(*r.config, "  ");

	// Merging: an empty parent changes nothing (the child wins everywhere and
	// its entries are appended in order), and merging with itself never
	// crashes and serialises.
	if (!(cfg::merge(cfg::emptyConfig(), *r.config) == *r.config))
		fail("merge(empty, c) differs from c", json + "\n" + cfg::toJson(cfg::merge(cfg::emptyConfig(), *r.config)));
	(void)cfg::toJson(cfg::merge(*r.config, *r.config));
	return 0;
}
