// errno -> Error at the edges (docs/architecture.md rule 5): one mapping of what a failed syscall
// means for the caller, so file, socket and config code agree. Callers add their own hints on top.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "core/result.h"

namespace wgtrack {

inline ErrorCode errno_code(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ENODEV: return ErrorCode::kNotFound;
    case EACCES:
    case EPERM: return ErrorCode::kPermissionDenied;
    case EISDIR:
    case EINVAL: return ErrorCode::kInvalidInput;
    case ETIMEDOUT: return ErrorCode::kTimeout;
    default: return ErrorCode::kTransient;  // EAGAIN, EINTR, ENOSPC, EMFILE, ...
  }
}

// "WHAT: <strerror>" with errno_code(err).
inline Error errno_error(int err, const std::string& what) {
  return Error(errno_code(err), what + ": " + std::strerror(err));
}

}  // namespace wgtrack
