// File helpers for the engine with Go-style error texts ("open /x: no such file or directory").
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

#include "flint/base/result.h"

namespace flint::engine {

// strerror(errnum) with a lowercase first letter, as Go's syscall.Errno prints.
std::string goErrnoText(int errnum);

// "<op> <path>: <goErrnoText>", Go's *os.PathError.
Error pathError(std::string_view op, std::string_view path, int errnum);

// os.ReadFile.
[[nodiscard]] Result<std::string> readFile(const std::string &path);

bool pathExists(const std::string &path);

// os.MkdirAll(path, mode).
[[nodiscard]] Result<void> mkdirAll(const std::string &path, mode_t mode);

// Writes `data` to a temporary file next to `path`, fsyncs it, sets `mode`
// and renames it over `path` (renameio.WriteFile); parent directories are
// created with mode 0755.
[[nodiscard]] Result<void> writeFileAtomic(const std::string &path, std::string_view data, mode_t mode);

} // namespace flint::engine
