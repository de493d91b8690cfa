// The files stage's order of work: fetch everything, then users, entries, units, result file, labels.
#include "flint/stages/files.h"

#include "files_internal.h"
#include "flint/base/go.h"
#include "flint/system/root_dir.h"

namespace flint::stages {

using namespace files;

Result<void> runFiles(const config::Config &cfg, const FilesContext &ctx)
{
	system::RootDir &root = *ctx.root;

	// crypttab and /etc/luks key files come from the disks stage's LUKS
	// volumes, which this build does not create yet: refuse before
	// changing anything rather than provision half a machine.
	if (!cfg.storage.luks.empty())
		return unexpected("storage.luks (" + std::to_string(cfg.storage.luks.size()) +
				  "): crypttab entries and LUKS key files are not implemented yet in this build of "
				  "Flint (they need the disks stage's LUKS support)");

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
		if (Result<void> r = fetchStaged(*ctx.fetcher, fetches, ctx.parallelFetches); !r)
			return unexpected(r.error().withContext("failed to create files"));
	}

	if (Result<void> r = applyPasswd(cfg.passwd, ctx, *relabel); !r)
		return unexpected(r.error().withContext("failed to create users/groups"));

	{
		log::PrefixScope prefix("createFilesystemsFiles");
		if (Result<void> r = applyEntries(**plan, root, *relabel); !r)
			return unexpected(r.error().withContext("failed to create files"));
	}

	if (Result<void> r = applyUnits(cfg.systemd, root, *relabel); !r)
		return unexpected(r.error().withContext("failed to create units"));

	if (Result<void> r = writeResultFile(ctx, *relabel); !r)
		return unexpected(r.error().withContext("creating result file"));

	if (Result<void> r = relabel->run(root); !r)
		return unexpected(r.error().withContext("failed to handle relabeling"));

	// Files were renamed into place without an fsync each; make them
	// durable in one go before the stage reports success.
	if (Result<void> r = root.syncAll((*plan)->writtenDirs()); !r)
		return unexpected(r.error().withContext("syncing the root"));
	return {};
}

} // namespace flint::stages
