// Retention: which stored rows are old enough to delete. Pure.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "sinks/history/history_options.h"

namespace wgtrack {

// Unix seconds; rows whose bucket start (samples) or time (events, runs) is before the cutoff
// go. A bucket straddling the cutoff stays whole, so a retention of 1 day keeps 24 h to 24 h
// 59 min of minute rows and a chart never starts with a half-empty bucket.
struct RetentionCutoffs {
  std::int64_t minutes = 0;
  std::int64_t hours = 0;
  std::int64_t events = 0;
  friend bool operator==(const RetentionCutoffs&, const RetentionCutoffs&) = default;
};

RetentionCutoffs retention_cutoffs(const HistoryOptions& options, WallTime now);

// When the live data is over max_size: the fraction of the oldest rows of each table to delete
// in one round (rounds repeat until under the bound or nothing is left). 0 when within bound
// or unbounded.
double overflow_trim_fraction(std::uint64_t live_bytes, std::uint64_t max_size);

}  // namespace wgtrack
