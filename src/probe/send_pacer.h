// SendPacer: a token bucket for echo requests leaving through one interface. Pure: the caller
// passes the time.
//
// Why: a burst of echoes overflows the tunnel's queues, and the overflow is silent — a tun
// device drops past its 500-packet queue (wireguard-go: 1482 of 2000 dropped in the lab, each a
// false "lost"), kernel WireGuard past 1024 queued packets, and a raw socket does not report
// ENOBUFS without IP_RECVERR (raw(7)). A hub probing thousands of peers per cycle must spread
// them out instead.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace wgtrack {

class SendPacer {
 public:
  using Clock = std::chrono::steady_clock;

  // At most `burst` at once, refilled at `per_second` (> 0). Starts full.
  SendPacer(std::size_t burst, std::uint32_t per_second);

  // Takes up to `want` sends allowed at `now`; returns how many were taken.
  std::size_t take(Clock::time_point now, std::size_t want);

  // The earliest time at which take() will grant one send (`now` if it would now).
  Clock::time_point next_allowed(Clock::time_point now);

 private:
  void refill(Clock::time_point now);

  double tokens_;
  double burst_;
  std::chrono::nanoseconds interval_;  // one token per interval
  Clock::time_point last_{};
  bool started_ = false;
};

}  // namespace wgtrack
