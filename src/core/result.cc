#include "core/result.h"

namespace wgtrack {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kPermissionDenied: return "permission denied";
    case ErrorCode::kTransient: return "transient error";
    case ErrorCode::kPermanent: return "permanent error";
    case ErrorCode::kProtocol: return "protocol error";
    case ErrorCode::kInvalidInput: return "invalid input";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kTimeout: return "timeout";
  }
  return "error";
}

Error Error::context(std::string_view what) const& {
  std::string m(what);
  m += ": ";
  m += message;
  return Error(code, std::move(m));
}

}  // namespace wgtrack
