#include "sinks/webhook/delivery_queue.h"

#include <cassert>

namespace wgtrack {

bool DeliveryQueue::push(HttpClientRequest request) {
  if (queue_.size() >= policy_.max_queue) {
    ++overflowed_;
    return false;
  }
  queue_.push_back({std::move(request), 0, std::nullopt});
  return true;
}

const HttpClientRequest* DeliveryQueue::start(MonoTime now) {
  if (in_flight_ || queue_.empty()) return nullptr;
  Item& head = queue_.front();
  if (head.not_before && now < *head.not_before) return nullptr;
  in_flight_ = true;
  ++head.attempts;
  return &head.request;
}

DeliveryQueue::Outcome DeliveryQueue::finish(bool delivered, bool retryable, MonoTime now,
                                             double jitter) {
  assert(in_flight_ && !queue_.empty());
  in_flight_ = false;
  Item& head = queue_.front();
  if (delivered) {
    ++delivered_;
    queue_.pop_front();
    return Outcome::kDelivered;
  }
  ++failures_;
  if (retryable && head.attempts <= policy_.retries) {
    head.not_before = now + policy_.backoff.delay(head.attempts, jitter);
    return Outcome::kRetrying;
  }
  ++gave_up_;
  queue_.pop_front();
  return Outcome::kGaveUp;
}

std::optional<MonoTime> DeliveryQueue::next_deadline(MonoTime now) const {
  if (in_flight_ || queue_.empty()) return std::nullopt;
  const auto& not_before = queue_.front().not_before;
  return not_before && *not_before > now ? *not_before : now;
}

}  // namespace wgtrack
