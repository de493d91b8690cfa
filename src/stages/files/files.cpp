// The files stage's order: fetch and check everything, then users, entries, units, crypttab, result file, labels.
#include "flint/stages/files.h"

#include <system_error>
#include <thread>

#include "files_internal.h"
#include "flint/base/go.h"
#include "flint/system/distro.h"
#include "flint/system/root_dir.h"
#include "flint/system/units.h"

namespace flint::stages {

using namespace files;

namespace {

Result<void> applyEntriesLogged(EntryPlan &plan, system::RootDir &root, Relabeler &relabel, EntryPass pass)
{
	log::PrefixScope prefix("createFilesystemsFiles");
	if (Result<void> r = applyEntries(plan, root, relabel, pass); !r)
		return unexpected(r.error().withContext("failed to create files"));
	return {};
}

// Users and groups, then files, directories and links, as Ignition orders
// them, except that the entries nothing of the users' creation can see or
// change (markEarlyEntries) are written meanwhile: shadow-utils spends
// most of its time waiting for its fsyncs. Their log lines are held and
// written after the users' (op numbers in that order), so the log reads
// as if they had been written after them.
Result<void> createUsersAndEntries(const config::Passwd &passwd, const FilesContext &ctx, EntryPlan &plan,
				   Relabeler &relabel)
{
	system::RootDir &root = *ctx.root;
	std::size_t early = markEarlyEntries(plan, passwd, root);
	Result<void> earlyResult;
	log::Recording earlyLog;
	Relabeler earlyRelabel = relabel;
	std::thread side;
	if (early > 0) {
		try {
			side = std::thread([&]() {
				log::RecordScope record(earlyLog);
				earlyResult = applyEntriesLogged(plan, root, earlyRelabel, EntryPass::Early);
			});
		} catch (const std::system_error &) {
			// No thread: everything in order, on this one.
			early = 0;
			for (Entry &e : plan.entries)
				e.early = false;
		}
	}
	Result<void> users = applyPasswd(passwd, ctx, relabel);
	if (side.joinable())
		side.join();
	if (early > 0) {
		{
			log::PrefixScope prefix("createFilesystemsFiles");
			LOG(Files, Debug) << early << " of " << plan.entries.size() << " entries were "
					  << (earlyResult ? "written" : "being written (one failed)")
					  << " while the users and groups were created (nothing those tools read "
					     "or write lies at, above or below them)";
		}
		earlyLog.replay();
		relabel.absorb(std::move(earlyRelabel));
	}
	if (!users)
		return unexpected(users.error().withContext("failed to create users/groups"));
	if (!earlyResult)
		return earlyResult;
	return applyEntriesLogged(plan, root, relabel, early > 0 ? EntryPass::Late : EntryPass::All);
}

} // namespace

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

	if (Result<void> r = createUsersAndEntries(cfg.passwd, ctx, **plan, *relabel); !r)
		return r;

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
	// Units, presets and the result file (each a filesystem of its own, if
	// mounted apart; one syncfs per filesystem).
	written.push_back(std::string(system::kSystemdUnitsDir));
	written.push_back(go::pathDir(system::kPresetPath));
	written.push_back(go::pathDir(distro::kResultFilePath));
	if (!luks->keys.empty())
		written.push_back(go::pathDir(luks->keys.front().path));
	// The plan (an entry per file: tens of thousands of allocations for a
	// large config) is freed on another thread while the sync waits on
	// the disk.
	std::thread release;
	try {
		release = std::thread([p = std::move(*plan)]() mutable { p.reset(); });
	} catch (const std::system_error &) {
		plan->reset();
	}
	Result<void> synced = root.syncAll(written);
	if (release.joinable())
		release.join();
	if (!synced)
		return unexpected(synced.error().withContext("syncing the root"));
	return {};
}

} // namespace flint::stages
