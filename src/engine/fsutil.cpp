// File helpers for the engine with Go-style error texts ("open /x: no such file or directory").
#include "engine/fsutil.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flint/base/fd_io.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

// Closes a file descriptor on scope exit.
class FdGuard final
{
public:
	explicit FdGuard(int fd) : fd_(fd) {}
	~FdGuard()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	FdGuard(const FdGuard &) = delete;
	FdGuard &operator=(const FdGuard &) = delete;
	int get() const { return fd_; }
	int release()
	{
		int fd = fd_;
		fd_ = -1;
		return fd;
	}

private:
	int fd_;
};

Result<void> writeAll(int fd, std::string_view data, const std::string &path)
{
	if (Result<void> r = flint::writeAll(fd, data); !r)
		return unexpected(pathError("write", path, r.error().errnum()));
	return {};
}

} // namespace

std::string goErrnoText(int errnum)
{
	std::string s = std::strerror(errnum);
	if (!s.empty())
		s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
	return s;
}

Error pathError(std::string_view op, std::string_view path, int errnum)
{
	return Error(std::string(op) + " " + std::string(path) + ": " + goErrnoText(errnum), errnum);
}

Result<std::string> readFile(const std::string &path)
{
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return unexpected(pathError("open", path, errno));
	FdGuard guard(fd);

	// Read straight into a buffer of the file's size (configs can be tens of
	// MB; growing by doubling would hold up to twice that). Files whose size
	// is unknown or changing (fw_cfg, /proc) still read to the end.
	std::string data;
	struct stat st;
	std::size_t used = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		data.resize(static_cast<std::size_t>(st.st_size) + 1);
	for (;;) {
		if (used == data.size())
			data.resize(std::max<std::size_t>(data.size() * 2, 65536));
		ssize_t n = read(fd, data.data() + used, data.size() - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return unexpected(pathError("read", path, errno));
		}
		if (n == 0)
			break;
		used += static_cast<std::size_t>(n);
	}
	data.resize(used);
	return data;
}

bool pathExists(const std::string &path)
{
	struct stat st;
	return lstat(path.c_str(), &st) == 0;
}

Result<void> mkdirAll(const std::string &path, mode_t mode)
{
	struct stat st;
	if (stat(path.c_str(), &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return {};
		return unexpected(pathError("mkdir", path, ENOTDIR));
	}
	std::string parent = go::pathDir(path);
	if (parent != path && parent != "." && parent != "/") {
		if (Result<void> r = mkdirAll(parent, mode); !r)
			return r;
	}
	if (mkdir(path.c_str(), mode) < 0 && errno != EEXIST)
		return unexpected(pathError("mkdir", path, errno));
	return {};
}

Result<void> writeFileAtomic(const std::string &path, std::string_view data, mode_t mode)
{
	std::string dir = go::pathDir(path);
	if (Result<void> r = mkdirAll(dir, 0755); !r)
		return r;

	std::string tmpl = go::pathJoin(dir, "." + go::pathBase(path) + ".XXXXXX");
	int fd = mkostemp(tmpl.data(), O_CLOEXEC);
	if (fd < 0)
		return unexpected(pathError("open", tmpl, errno));
	FdGuard guard(fd);
	auto fail = [&](Error e) -> Result<void> {
		unlink(tmpl.c_str());
		return unexpected(std::move(e));
	};

	if (Result<void> r = writeAll(fd, data, tmpl); !r)
		return fail(r.error());
	// Mode exactly as asked, whatever the umask.
	if (fchmod(fd, mode) < 0)
		return fail(pathError("chmod", tmpl, errno));
	if (fsync(fd) < 0)
		return fail(pathError("sync", tmpl, errno));
	if (close(guard.release()) < 0)
		return fail(pathError("close", tmpl, errno));
	if (rename(tmpl.c_str(), path.c_str()) < 0)
		return fail(Error("rename " + tmpl + " " + path + ": " + goErrnoText(errno), errno));
	return {};
}

} // namespace flint::engine
