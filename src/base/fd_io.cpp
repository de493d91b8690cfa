// Whole-buffer writes to a file descriptor.
#include "flint/base/fd_io.h"

#include <unistd.h>

#include <cerrno>

namespace flint {

Result<void> writeAll(int fd, std::string_view data)
{
	while (!data.empty()) {
		ssize_t n = ::write(fd, data.data(), data.size());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return unexpected(errnoError("write"));
		}
		data.remove_prefix(static_cast<std::size_t>(n));
	}
	return {};
}

} // namespace flint
