// The stage bodies: what each stage does with the rendered config.
#include "engine/stages.h"

#include <fcntl.h>
#include <unistd.h>

#include "engine/fsutil.h"
#include "engine/log_categories.h"
#include "flint/base/go.h"
#include "flint/base/url.h"
#include "flint/stages/files.h"
#include "flint/stages/kargs.h"
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

// "storage.files (2)" for each non-empty section, joined with ", ".
class Asks final
{
public:
	template<typename T>
	void add(std::string_view what, const std::vector<T> &items)
	{
		add(what, items.size());
	}
	void add(std::string_view what, std::size_t n)
	{
		if (n == 0)
			return;
		if (!text_.empty())
			text_ += ", ";
		text_ += std::string(what) + " (" + std::to_string(n) + ")";
	}
	bool empty() const { return text_.empty(); }
	const std::string &text() const { return text_; }

private:
	std::string text_;
};

Result<void> notImplemented(std::string_view stage, std::string_view does, const Asks &asks)
{
	return unexpected(std::string(stage) + " stage: " + std::string(does) +
			  " is not implemented yet in this build of Flint; the config asks for " + asks.text());
}

std::size_t filesystemsWithPath(const Config &cfg)
{
	std::size_t n = 0;
	for (const config::Filesystem &fs : cfg.storage.filesystems)
		if (fs.path && !fs.path->empty())
			n++;
	return n;
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
		Asks asks;
		asks.add("storage.disks", cfg.storage.disks);
		asks.add("storage.raid", cfg.storage.raid);
		asks.add("storage.luks", cfg.storage.luks);
		asks.add("storage.filesystems", cfg.storage.filesystems);
		if (asks.empty())
			return {};
		return notImplemented(name, "partitioning, RAID, LUKS and filesystem creation", asks);
	}

	if (name == "mount" || name == "umount") {
		Asks asks;
		asks.add("storage.filesystems with a path", filesystemsWithPath(cfg));
		if (asks.empty())
			return {};
		return notImplemented(name, name == "mount" ? "mounting filesystems" : "unmounting filesystems", asks);
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
		return stages::runFiles(cfg, fc);
	}

	return unexpected(std::string(name) + " is not a valid stage");
}

} // namespace flint::engine
