// Clock: the one seam through which wgtrack reads time (docs/architecture.md rules 1-3).
// Two clocks:
//  - MonoTime: monotonic, for timers, deadlines, back-off and "how long since we saw X". It
//    never jumps. The production clock fills it from CLOCK_BOOTTIME (so a suspend counts as
//    elapsed time); its epoch is arbitrary, so it only means something relative to another
//    MonoTime from the same Clock.
//  - WallTime: UTC wall time, because WireGuard reports the latest handshake as wall time
//    (kernel WGPEER_A_LAST_HANDSHAKE_TIME, UAPI last_handshake_time_sec/nsec). It can jump
//    either way (NTP step, manual set): never derive a timer from it, and treat a wall time in
//    the future as "the clock went backwards", never as a negative age.
// Pure code takes these as parameters; only the composition root owns a real Clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace wgtrack {

// The monotonic time scale. Deliberately has no now(): a MonoTime can only come from a Clock
// (or a test), and it cannot be mixed up with std::chrono::steady_clock (CLOCK_MONOTONIC,
// which stops during suspend) by accident: the two time_point types do not convert.
struct MonoClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<MonoClock, duration>;
  static constexpr bool is_steady = true;
};

using MonoTime = MonoClock::time_point;
// Same declaration as in wireguard/device.h (a redeclaration of an alias to the same type is
// allowed); core owns it, device.h may include this header instead.
using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic now: never decreases between calls.
  virtual MonoTime mono_now() const = 0;
  // Wall-clock now (UTC). May jump backwards or forwards between calls.
  virtual WallTime wall_now() const = 0;
};

}  // namespace wgtrack
