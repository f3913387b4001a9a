// DeliveryQueue: the webhook's bounded FIFO of requests with retries (pure; time and jitter are
// parameters). One request is in flight at a time, so a receiver sees events in order (a
// disconnect never arrives after its recovery); a failed request is retried after an
// exponentially growing, jittered wait (RetryBackoff) and blocks the ones behind it meanwhile,
// up to `retries` retries, then it is given up (counted).
//
// Bounded: at most `max_queue` requests including the one in flight; push() into a full queue
// drops the new request and counts it (publish() must never block or grow without bound).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "core/clock.h"
#include "http_client/http_client.h"
#include "http_client/retry_backoff.h"

namespace wgtrack {

struct DeliveryPolicy {
  std::size_t max_queue = 256;
  std::uint32_t retries = 3;  // after the first attempt; 0 = try once
  RetryBackoff backoff;
};

class DeliveryQueue {
 public:
  explicit DeliveryQueue(DeliveryPolicy policy) : policy_(policy) {}

  // Queues `request`; false (and counted in overflowed()) when the queue is full.
  bool push(HttpClientRequest request);

  // The request to send now, if nothing is in flight and the head's wait is over; it is then
  // in flight until finish(). The pointer stays valid until finish().
  const HttpClientRequest* start(MonoTime now);

  enum class Outcome { kDelivered, kRetrying, kGaveUp };
  // The in-flight request's result: `delivered` (2xx), or a failure that is retried when
  // `retryable` and retries remain (the wait: backoff.delay(attempt, jitter), jitter in [0,1]).
  Outcome finish(bool delivered, bool retryable, MonoTime now, double jitter);

  // When start() will next return a request (`now` if it would now); nullopt when empty or
  // one is in flight.
  std::optional<MonoTime> next_deadline(MonoTime now) const;

  std::size_t size() const { return queue_.size(); }
  bool in_flight() const { return in_flight_; }
  std::uint32_t head_attempts() const { return queue_.empty() ? 0 : queue_.front().attempts; }
  std::uint64_t delivered() const { return delivered_; }
  std::uint64_t gave_up() const { return gave_up_; }
  std::uint64_t overflowed() const { return overflowed_; }
  std::uint64_t failures() const { return failures_; }  // failed attempts, retried or not

 private:
  struct Item {
    HttpClientRequest request;
    std::uint32_t attempts = 0;
    std::optional<MonoTime> not_before;
  };
  DeliveryPolicy policy_;
  std::deque<Item> queue_;
  bool in_flight_ = false;
  std::uint64_t delivered_ = 0, gave_up_ = 0, overflowed_ = 0, failures_ = 0;
};

}  // namespace wgtrack
