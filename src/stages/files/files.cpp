// The files stage's order: fetch and check everything, then users, entries, units, crypttab, result file, labels.
#include "flint/stages/files.h"

#include "files_internal.h"
#include "flint/base/go.h"
#include "flint/system/root_dir.h"

namespace flint::stages {

using namespace files;

Result<void> runFiles(const config::Config &cfg, const FilesContext &ctx)
{
	system::RootDir &root = *ctx.root;

	Result<Relabeler> relabel = Relabeler::forRoot(root);
	if (!relabel)
		return unexpected(relabel.error().withContext("failed to check if SELinux labeling required"));

	// Every content first: a 404 or a hash mismatch anywhere fails the
	// stage before the root changes at all.
	Result<std::unique_ptr<EntryPlan>> plan = [&]() {
		log::PrefixScope prefix("createFilesystemsFiles");
		return planEntries(cfg.storage, root);
	}();
	if (!plan)
		return unexpected(plan.error().withContext("failed to create files"));
	if (Result<void> r = checkOwnerNames(**plan, cfg.passwd, root); !r)
		return unexpected(r.error().withContext("failed to create files"));
	{
		std::vector<StagedFetch *> fetches = stagedFetches(**plan);
		if (!fetches.empty())
			LOG(Files, Info) << "fetching " << fetches.size() << " file contents, at most "
					 << ctx.parallelFetches << " at a time, before changing anything";
		// Inline contents are staged into files while the remote ones
		// download, then written out before the tools' fsyncs would.
		EntryPlan &p = **plan;
		if (Result<void> r = fetchStaged(*ctx.fetcher, fetches, ctx.parallelFetches,
						 [&p]() { p.staging.flush(); });
		    !r)
			return unexpected(r.error().withContext("failed to create files"));
	}
	// The LUKS volumes' UUIDs and persisted keys, before any change too
	// (Ignition finds a missing key after writing everything else).
	Result<LuksPlan> luks = planLuks(cfg.storage.luks, ctx);
	if (!luks)
		return unexpected(luks.error().withContext("creating crypttab entries"));

	if (Result<void> r = applyPasswd(cfg.passwd, ctx, *relabel); !r)
		return unexpected(r.error().withContext("failed to create users/groups"));

	{
		log::PrefixScope prefix("createFilesystemsFiles");
		if (Result<void> r = applyEntries(**plan, root, *relabel); !r)
			return unexpected(r.error().withContext("failed to create files"));
	}

	if (Result<void> r = applyUnits(cfg.systemd, root, *relabel); !r)
		return unexpected(r.error().withContext("failed to create units"));

	if (Result<void> r = applyLuks(*luks, root, *relabel); !r)
		return unexpected(
			r.error().withContext("adding luks related files").withContext("creating crypttab entries"));
	// The keys now live only on the (possibly encrypted) root; Ignition
	// drops them from the state so they do not linger in /run.
	if (!cfg.storage.luks.empty() && ctx.luksPersistKeyFiles)
		ctx.luksPersistKeyFiles->clear();

	if (Result<void> r = writeResultFile(ctx, *relabel); !r)
		return unexpected(r.error().withContext("creating result file"));

	if (Result<void> r = relabel->run(root); !r)
		return unexpected(r.error().withContext("failed to handle relabeling"));

	// Files were renamed into place without an fsync each; make them
	// durable in one go before the stage reports success.
	std::vector<std::string> written = (*plan)->writtenDirs();
	if (!luks->keys.empty())
		written.push_back(go::pathDir(luks->keys.front().path));
	if (Result<void> r = root.syncAll(written); !r)
		return unexpected(r.error().withContext("syncing the root"));
	return {};
}

} // namespace flint::stages
