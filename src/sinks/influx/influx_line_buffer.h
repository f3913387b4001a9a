// InfluxLineBuffer: the influx_http output's bounded buffer of line-protocol lines (pure; time
// and jitter are parameters). Each cycle's lines are appended; a batch of up to `batch_lines`
// of the oldest lines is sent at a time. A failed batch is kept and retried after a jittered,
// exponentially growing wait (retries do not end: the data is state, and the buffer bound is
// what limits it); a batch the server rejects as bad data (discard) is dropped. While the
// server is away the buffer fills; beyond `max_lines` the oldest waiting lines are dropped
// (counted): the newest state matters most.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "http_client/retry_backoff.h"

namespace wgtrack {

class InfluxLineBuffer {
 public:
  InfluxLineBuffer(std::size_t max_lines, std::size_t batch_lines, RetryBackoff backoff)
      : max_lines_(max_lines), batch_lines_(std::min(batch_lines, max_lines)), backoff_(backoff) {}

  // Appends the lines of `text` (each ending in '\n'; empty lines are skipped).
  void add(std::string_view text);

  // The batch to send now (lines joined, each ending in '\n'), if none is in flight and no
  // retry wait is running; it is in flight until finish().
  std::optional<std::string> start(MonoTime now);

  enum class Result { kDelivered, kRetry, kDiscard };
  void finish(Result result, MonoTime now, double jitter);

  // When start() will next return a batch (`now` if it would now); nullopt when there is
  // nothing to send or a batch is in flight.
  std::optional<MonoTime> next_deadline(MonoTime now) const;

  std::size_t buffered_lines() const { return lines_.size() + batch_count_; }
  bool in_flight() const { return in_flight_; }
  std::uint64_t lines_written() const { return lines_written_; }
  std::uint64_t lines_dropped() const { return lines_dropped_; }      // buffer overflow
  std::uint64_t lines_discarded() const { return lines_discarded_; }  // rejected batches
  std::uint32_t failures_in_a_row() const { return failures_; }

 private:
  std::size_t max_lines_;
  std::size_t batch_lines_;
  RetryBackoff backoff_;
  std::deque<std::string> lines_;  // waiting, oldest first
  std::string batch_;              // taken from lines_: in flight or waiting for a retry
  std::size_t batch_count_ = 0;
  bool in_flight_ = false;
  std::uint32_t failures_ = 0;
  std::optional<MonoTime> retry_at_;
  std::uint64_t lines_written_ = 0, lines_dropped_ = 0, lines_discarded_ = 0;
};

}  // namespace wgtrack
