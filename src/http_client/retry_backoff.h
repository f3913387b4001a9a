// Exponential back-off with jitter for retried requests (webhooks, Influx writes). Pure: the
// jitter is a parameter, so tests pin it and the sinks draw it from their own generator.
#pragma once

#include <chrono>
#include <cstdint>

namespace wgtrack {

struct RetryBackoff {
  std::chrono::milliseconds initial = std::chrono::seconds(1);
  std::chrono::milliseconds max = std::chrono::seconds(60);

  // The wait before retry number `attempt` (1 = the first retry): the nominal delay
  // initial * 2^(attempt-1), capped at max, of which the upper half is scaled by `jitter` in
  // [0, 1] ("equal jitter": between 50% and 100% of nominal, so many senders that failed
  // together do not retry together, and a retry never comes sooner than half the nominal).
  std::chrono::milliseconds delay(std::uint32_t attempt, double jitter) const;
};

}  // namespace wgtrack
