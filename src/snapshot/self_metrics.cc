#include "snapshot/self_metrics.h"

namespace wgtrack {

std::string_view error_code_label(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kTransient:
      return "transient";
    case ErrorCode::kPermanent:
      return "permanent";
    case ErrorCode::kProtocol:
      return "protocol";
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kTimeout:
      return "timeout";
  }
  return "unknown";
}

void SelfMetrics::record_cycle(std::chrono::nanoseconds duration, bool backend_ok,
                               std::span<const Event> published) {
  ++cycles;
  last_cycle_duration = duration;
  last_cycle_ok = backend_ok;
  for (const Event& e : published) {
    const auto i = static_cast<std::size_t>(e.type);
    if (i < events.size()) ++events[i];
  }
}

void SelfMetrics::record_backend_error(ErrorCode code) {
  const auto i = static_cast<std::size_t>(code);
  if (i < backend_errors.size()) ++backend_errors[i];
}

}  // namespace wgtrack
