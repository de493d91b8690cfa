// The files stage's shared pieces: staged contents, the parallel prefetch, permissions and logged tool runs.
#include "files_internal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>

#include "flint/base/fd_io.h"
#include "flint/base/go.h"
#include "flint/system/exec.h"
#include "flint/system/passwd.h"

FLINT_LOG_DEFINE_CATEGORY(Files, "files")

namespace flint::stages::files {

namespace {

// An anonymous file in `dir` (an open directory): O_TMPFILE where the
// filesystem has it, else a random name unlinked at once (overlayfs before
// Linux 6.6 has no O_TMPFILE).
Result<UniqueFd> anonymousFileIn(int dir)
{
	UniqueFd fd(::openat(dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
	if (fd.isValid())
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return unexpected(errnoError("open O_TMPFILE"));
	std::random_device rd;
	for (int attempt = 0; attempt < 100; attempt++) {
		std::string name = ".flint-spill-" + std::to_string(rd());
		UniqueFd named(::openat(dir, name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
		if (!named.isValid()) {
			if (errno == EEXIST)
				continue;
			return unexpected(errnoError("create spill file"));
		}
		::unlinkat(dir, name.c_str(), 0);
		return named;
	}
	return unexpected(Error("create spill file: no free name", EEXIST));
}

} // namespace

StagedContent::StagedContent(system::RootDir &root, std::string targetPath)
	: root_(root), targetPath_(std::move(targetPath))
{
}

Result<void> StagedContent::spill()
{
	// The nearest existing directory above the target is on the
	// filesystem the file will be written to.
	std::string dir = go::pathDir(targetPath_);
	for (;;) {
		Result<UniqueFd> d = root_.openFollowing(dir, O_RDONLY | O_DIRECTORY);
		if (d) {
			Result<UniqueFd> f = anonymousFileIn(d->get());
			if (!f)
				return unexpected(f.error().withContext("staging " + root_.hostPath(targetPath_)));
			spillFd_ = std::move(*f);
			break;
		}
		if (dir == "/" || (d.error().errnum() != ENOENT && d.error().errnum() != ENOTDIR))
			return unexpected(d.error().withContext("staging " + root_.hostPath(targetPath_)));
		dir = go::pathDir(dir);
	}
	if (Result<void> r = writeAll(spillFd_.get(), memory_); !r)
		return r;
	std::string().swap(memory_);
	return {};
}

Result<void> StagedContent::write(std::string_view bytes)
{
	size_ += bytes.size();
	if (!spillFd_.isValid()) {
		if (memory_.size() + bytes.size() <= kSpillBytes) {
			memory_.append(bytes);
			return {};
		}
		if (Result<void> r = spill(); !r)
			return r;
	}
	return writeAll(spillFd_.get(), bytes);
}

Result<void> StagedContent::rewind()
{
	size_ = 0;
	memory_.clear();
	if (spillFd_.isValid()) {
		if (::ftruncate(spillFd_.get(), 0) < 0 || ::lseek(spillFd_.get(), 0, SEEK_SET) < 0)
			return unexpected(errnoError("truncate spill file"));
	}
	return {};
}

Result<void> StagedContent::copyTo(int fd) const
{
	if (!spillFd_.isValid())
		return writeAll(fd, memory_);
	// In-kernel copy (a reflink on btrfs and xfs); plain reads and writes
	// where copy_file_range cannot cross filesystems.
	loff_t in = 0;
	while (static_cast<std::uint64_t>(in) < size_) {
		ssize_t n = ::copy_file_range(spillFd_.get(), &in, fd, nullptr, size_ - static_cast<std::uint64_t>(in), 0);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EXDEV && errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS)
			return unexpected(errnoError("copy"));
		char buf[1 << 16];
		while (static_cast<std::uint64_t>(in) < size_) {
			ssize_t r = ::pread(spillFd_.get(), buf, sizeof(buf), in);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return unexpected(errnoError("read spill file"));
			if (Result<void> w = writeAll(fd, std::string_view(buf, static_cast<std::size_t>(r))); !w)
				return w;
			in += r;
		}
	}
	return {};
}

Result<void> fetchStaged(fetch::Fetcher &fetcher, std::vector<StagedFetch *> &fetches, std::size_t parallel)
{
	if (fetches.empty())
		return {};
	std::vector<fetch::Request> reqs;
	reqs.reserve(fetches.size());
	for (StagedFetch *f : fetches) {
		f->request.sink = f->content.get();
		reqs.push_back(f->request);
	}
	std::vector<Result<void>> results = fetcher.fetchAll(reqs, parallel);
	std::optional<Error> first;
	std::size_t failures = 0;
	for (std::size_t i = 0; i < results.size(); i++) {
		if (results[i])
			continue;
		failures++;
		// Ignition's words: "Error fetching file %q: %v".
		LOG(Files, Critical) << "Error fetching " << fetches[i]->what << ": " << results[i].error().message();
		if (!first)
			first = results[i].error().withContext("fetching " + fetches[i]->what + " from " +
							       fetch::redactUrl(fetches[i]->request.url));
	}
	if (!first)
		return {};
	if (failures > 1)
		first->context(std::to_string(failures) + " contents could not be fetched; nothing was written; first");
	else
		first->context("nothing was written");
	return unexpected(std::move(*first));
}

Result<void> setPermissions(system::RootDir &root, std::string_view path, const config::Node &node,
			    std::optional<std::int64_t> mode)
{
	uid_t uid = 0;
	gid_t gid = 0;
	// Ignition's default owner is the current one, read with stat(2): for
	// a symlink, its target's (inside the root here; on the host in
	// Ignition). Missing: 0:0.
	if (Result<std::optional<struct stat>> st = root.stat(path); st && *st) {
		uid = (*st)->st_uid;
		gid = (*st)->st_gid;
	}
	std::string host = root.hostPath(path);
	auto ownerError = [&](std::string msg) {
		return unexpected("failed to determine correct uid and gid for " + host + ": " + msg);
	};
	if (node.user.id) {
		uid = static_cast<uid_t>(*node.user.id);
	} else if (node.user.name && !node.user.name->empty()) {
		std::optional<system::PasswdEntry> u = system::lookupUser(root, *node.user.name);
		if (!u)
			return ownerError("no such user " + go::quote(*node.user.name) + ": user: unknown user " +
					  *node.user.name + " (looked up in " + root.hostPath("/etc/passwd") +
					  " and " + root.hostPath("/usr/lib/passwd") + ")");
		uid = u->uid;
	}
	if (node.group.id) {
		gid = static_cast<gid_t>(*node.group.id);
	} else if (node.group.name && !node.group.name->empty()) {
		std::optional<system::GroupEntry> g = system::lookupGroup(root, *node.group.name);
		if (!g)
			return ownerError("no such group " + go::quote(*node.group.name) + ": group: unknown group " +
					  *node.group.name + " (looked up in " + root.hostPath("/etc/group") + " and " +
					  root.hostPath("/usr/lib/group") + ")");
		gid = g->gid;
	}
	if (Result<void> r = root.lchown(path, uid, gid); !r)
		return unexpected(r.error().withContext("failed to change ownership of " + host));
	if (mode) {
		if (Result<void> r = root.chmod(path, static_cast<mode_t>(*mode) & 07777); !r)
			return unexpected(r.error().withContext("failed to change mode of " + host));
	}
	return {};
}

Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what)
{
	return log::logOperation(what, [&]() -> Result<void> {
		LOG(Files, Debug) << "executing: " << system::quotedCommand(argv);
		return system::runTool(argv);
	});
}

} // namespace flint::stages::files
