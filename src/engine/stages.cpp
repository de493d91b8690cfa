// The stage bodies: what each stage does with the rendered config.
#include "engine/stages.h"

#include <fcntl.h>
#include <unistd.h>

#include "engine/fsutil.h"
#include "engine/log_categories.h"
#include "flint/base/go.h"
#include "flint/base/url.h"
#include "flint/stages/disks.h"
#include "flint/stages/files.h"
#include "flint/stages/kargs.h"
#include "flint/stages/mount.h"
#include "flint/system/root_dir.h"

namespace flint::engine {

namespace {

using config::Config;
using config::Resource;

bool sourceNeedsNet(const Resource &r)
{
	if (!r.source)
		return false;
	// util.UrlNeedsNet: any scheme but data and none. An unparsable source
	// cannot be in a validated config; treat it as needing the network so
	// the fetch stage reports it.
	Result<GoUrl> u = parseGoUrl(*r.source);
	if (!u)
		return true;
	return u->scheme != "data" && !u->scheme.empty();
}

bool anyNeedsNet(const std::vector<Resource> &rs)
{
	for (const Resource &r : rs)
		if (sourceNeedsNet(r))
			return true;
	return false;
}

} // namespace

Result<void> signalNeedNet(const std::string &path)
{
	if (Result<void> r = mkdirAll(go::pathDir(path), 0755); !r)
		return r;
	int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return unexpected(pathError("open", path, errno));
	close(fd);
	return {};
}

bool configNeedsNet(const Config &cfg)
{
	const config::Ignition &ign = cfg.ignition;
	if (anyNeedsNet(ign.config.merge) || sourceNeedsNet(ign.config.replace) ||
	    anyNeedsNet(ign.security.tls.certificateAuthorities))
		return true;
	for (const config::File &f : cfg.storage.files)
		if (sourceNeedsNet(f.contents) || anyNeedsNet(f.append))
			return true;
	for (const config::Luks &l : cfg.storage.luks) {
		if (sourceNeedsNet(l.keyFile))
			return true;
		for (const config::Tang &t : l.clevis.tang)
			if (!t.advertisement || t.advertisement->empty())
				return true;
		if (l.clevis.custom.needsNetwork.value_or(false))
			return true;
	}
	return false;
}

Result<void> runStageBody(std::string_view name, const Config &cfg, const StageContext &ctx)
{
	if (name == "fetch-offline") {
		// Ignition's fetch-offline returns ErrNeedNet and the engine writes
		// the flag file; the stage still passes.
		if (configNeedsNet(cfg)) {
			if (Result<void> r = signalNeedNet(ctx.needNet); !r) {
				LOG(Engine, Critical) << "failed to signal neednet: " << r.error().message();
				return r;
			}
		}
		return {};
	}

	if (name == "fetch") {
		LOG(Engine, Info) << "fetch complete";
		return {};
	}

	if (name == "kargs")
		return stages::runKargs(cfg.kernelArguments, stages::KargsContext{ ctx.kernelCmdlinePath });

	if (name == "disks") {
		stages::DisksContext dc;
		dc.fetcher = ctx.fetcher;
		dc.deviceTimeout = ctx.deviceTimeout;
		dc.luksPersistKeyFiles = ctx.luksPersistKeyFiles;
		return stages::runDisks(cfg, dc);
	}

	if (name == "mount" || name == "umount") {
		// Without a root the stages can still find they have nothing to
		// do (they never touch it then); otherwise the root's error.
		Result<system::RootDir> root = system::RootDir::open(ctx.root);
		stages::MountContext mc;
		mc.root = root ? &*root : nullptr;
		mc.deviceTimeout = ctx.deviceTimeout;
		mc.notatedDirectories = ctx.notatedDirectories;
		Result<void> r = name == "mount" ? stages::runMount(cfg, mc) : stages::runUmount(cfg, mc);
		if (!r && !root)
			return unexpected(root.error().withContext("opening the root"));
		return r;
	}

	if (name == "files") {
		Result<system::RootDir> root = system::RootDir::open(ctx.root);
		if (!root)
			return unexpected(root.error().withContext("opening the root"));
		stages::FilesContext fc;
		fc.root = &*root;
		fc.fetcher = ctx.fetcher;
		fc.userConfigProvided = ctx.userConfigProvided;
		fc.authorizedKeysFragment = ctx.authorizedKeysFragment;
		fc.luksPersistKeyFiles = ctx.luksPersistKeyFiles;
		fc.notatedDirectories = ctx.notatedDirectories;
		return stages::runFiles(cfg, fc);
	}

	return unexpected(std::string(name) + " is not a valid stage");
}

} // namespace flint::engine
