// SelfMetrics: the daemon's own counters that state sinks export next to the peers
// (docs/architecture.md rule 10: degraded is visible). A plain value: the daemon owns one,
// records into it as things happen, and the snapshot builder copies it. Counters are totals
// since start; they survive SIGHUP reloads with the object.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.h"
#include "events/event.h"

namespace wgtrack {

inline constexpr std::size_t kErrorCodeCount = 8;  // ErrorCode::kNotFound .. kTimeout
inline constexpr std::size_t kEventTypeCount = 8;  // EventType::kInitialStatus .. kCandidate...

// snake_case label values: "not_found", "permission_denied", "transient", "permanent",
// "protocol", "invalid_input", "unsupported", "timeout". (to_string(ErrorCode) is for humans.)
std::string_view error_code_label(ErrorCode code);

struct SelfMetrics {
  std::uint64_t cycles = 0;                         // completed cycles
  std::chrono::nanoseconds last_cycle_duration{0};  // read + decide of the last cycle
  bool last_cycle_ok = true;                        // every interface of the last cycle was read
  std::array<std::uint64_t, kErrorCodeCount> backend_errors{};  // by ErrorCode
  std::uint64_t probe_errors = 0;     // probes that could not be sent (not lost ones)
  std::uint64_t resolver_errors = 0;  // failed DNS resolutions of candidate endpoints
  std::array<std::uint64_t, kEventTypeCount> events{};  // published events by EventType

  // One finished cycle: its duration, whether the backend read was complete, its events.
  void record_cycle(std::chrono::nanoseconds duration, bool backend_ok,
                    std::span<const Event> published);
  void record_backend_error(ErrorCode code);

  std::uint64_t backend_error_count(ErrorCode code) const {
    return backend_errors[static_cast<std::size_t>(code)];
  }
  std::uint64_t event_count(EventType type) const { return events[static_cast<std::size_t>(type)]; }
};

}  // namespace wgtrack
