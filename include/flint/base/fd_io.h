// Whole-buffer writes to a file descriptor.
#pragma once

#include <string_view>

#include "flint/base/result.h"

namespace flint {

// Writes all of `data` to fd, retrying short writes and EINTR. The error is
// "write: <strerror>" with the errno kept, for the caller to give context.
[[nodiscard]] Result<void> writeAll(int fd, std::string_view data);

} // namespace flint
