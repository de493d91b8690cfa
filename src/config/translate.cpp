// Translation of older specs to the latest: only what the Go types make
// differ survives in these shared types.
#include "parse_internal.h"

namespace flint::config {

Config translateToLatest(Config cfg, Spec from)
{
	if (from < Spec::V3_1) {
		// 3.0 -> 3.1: CaReference.Source (string) and ConfigReference
		// become Resource with a *string source.
		for (auto &ca : cfg.ignition.security.tls.certificateAuthorities)
			if (!ca.source)
				ca.source = "";
	}
	if (from < Spec::V3_3) {
		// 3.2 -> 3.3: link targets, RAID levels and custom clevis pin/config
		// become pointers (StrToPtr: an empty string stays set).
		for (auto &l : cfg.storage.links)
			if (!l.target)
				l.target = "";
		for (auto &r : cfg.storage.raid)
			if (!r.level)
				r.level = "";
		for (auto &l : cfg.storage.luks) {
			auto &cu = l.clevis.custom;
			if (cu != ClevisCustom{}) {
				if (!cu.pin)
					cu.pin = "";
				if (!cu.config)
					cu.config = "";
			}
		}
	}
	if (from < Spec::V3_6) {
		// 3.5 -> 3.6: setuid/setgid/sticky were never honoured before 3.6.0
		// and are dropped (upstream issue #2024).
		for (auto &f : cfg.storage.files)
			if (f.mode)
				*f.mode &= ~static_cast<std::int64_t>(07000);
		for (auto &d : cfg.storage.directories)
			if (d.mode)
				*d.mode &= ~static_cast<std::int64_t>(07000);
	}
	cfg.ignition.version = specVersion(kLatestSpec).toString();
	return cfg;
}

} // namespace flint::config
