#include "probe/send_pacer.h"

#include <algorithm>
#include <cmath>

namespace wgtrack {

SendPacer::SendPacer(std::size_t burst, std::uint32_t per_second)
    : tokens_(static_cast<double>(std::max<std::size_t>(burst, 1))),
      burst_(tokens_),
      interval_(
          std::chrono::nanoseconds(1'000'000'000LL / std::max<std::uint32_t>(per_second, 1))) {}

void SendPacer::refill(Clock::time_point now) {
  if (!started_) {
    started_ = true;
    last_ = now;
    return;
  }
  if (now <= last_) return;  // steady clock: only equal, never earlier; keep it safe anyway
  const double earned =
      static_cast<double>((now - last_).count()) / static_cast<double>(interval_.count());
  tokens_ = std::min(burst_, tokens_ + earned);
  last_ = now;
}

std::size_t SendPacer::take(Clock::time_point now, std::size_t want) {
  refill(now);
  const auto whole = static_cast<std::size_t>(std::floor(tokens_));
  const std::size_t n = std::min(want, whole);
  tokens_ -= static_cast<double>(n);
  return n;
}

SendPacer::Clock::time_point SendPacer::next_allowed(Clock::time_point now) {
  refill(now);
  if (tokens_ >= 1.0) return now;
  const double missing = 1.0 - tokens_;
  return now + std::chrono::nanoseconds(static_cast<std::int64_t>(
                   std::ceil(missing * static_cast<double>(interval_.count()))));
}

}  // namespace wgtrack
