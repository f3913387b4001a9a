#include "sinks/history/retention.h"

#include <algorithm>

#include "sinks/history/counter_book.h"

namespace wgtrack {

RetentionCutoffs retention_cutoffs(const HistoryOptions& options, WallTime now) {
  using std::chrono::hours;
  using std::chrono::minutes;
  using std::chrono::seconds;
  return {
      .minutes = bucket_start(now - options.retention_minutes, minutes(1)),
      .hours = bucket_start(now - options.retention_hours, hours(1)),
      .events = bucket_start(now - options.retention_events, seconds(1)),
  };
}

double overflow_trim_fraction(std::uint64_t live_bytes, std::uint64_t max_size) {
  if (max_size == 0 || live_bytes <= max_size) return 0.0;
  // Delete the excess plus a 10 % margin, so that a database at its bound is not trimmed again
  // on every maintenance run; at least 5 %, at most everything.
  const double excess =
      static_cast<double>(live_bytes - max_size) / static_cast<double>(live_bytes);
  return std::clamp(excess + 0.1, 0.05, 1.0);
}

}  // namespace wgtrack
