#include "daemon/system_clock.h"

#include <time.h>

namespace wgtrack {
namespace {

std::chrono::nanoseconds read(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace

MonoTime SystemClock::mono_now() const { return MonoTime(read(CLOCK_BOOTTIME)); }
WallTime SystemClock::wall_now() const { return WallTime(read(CLOCK_REALTIME)); }

}  // namespace wgtrack
