// SystemClock: the production Clock. Monotonic time from CLOCK_BOOTTIME (keeps counting
// through suspend, so "no rx for 5 minutes" stays true after a laptop wakes), wall time from
// CLOCK_REALTIME. Thread-safe (DocumentCache's worker reads it too). Tests of pure logic use
// FakeClock (tests/support); tests over real sockets and timers use this one.
#pragma once

#include <time.h>

#include "core/clock.h"

namespace wgtrack {

class SystemClock final : public Clock {
 public:
  MonoTime mono_now() const override { return MonoTime(read(CLOCK_BOOTTIME)); }
  WallTime wall_now() const override { return WallTime(read(CLOCK_REALTIME)); }

 private:
  static std::chrono::nanoseconds read(clockid_t id) {
    timespec ts{};
    ::clock_gettime(id, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
  }
};

}  // namespace wgtrack
