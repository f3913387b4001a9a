// FakeClock: a Clock that moves only when a test says so. advance() moves both clocks together
// (real time passing); set_wall()/jump_wall() move the wall clock alone (an NTP step, a manual
// `date -s`), which is how tests simulate clock jumps. No sleeping, ever.
#pragma once

#include <chrono>

#include "core/clock.h"

namespace wgtrack::testing {

class FakeClock final : public Clock {
 public:
  // Wall time starts at 2025-11-22 00:25:23 UTC, an arbitrary fixed instant; monotonic time
  // starts at an arbitrary non-zero offset so code cannot rely on a zero epoch.
  static constexpr std::chrono::seconds kDefaultWallStart{1763771123};
  static constexpr std::chrono::hours kDefaultMonoStart{1000};

  FakeClock() = default;
  explicit FakeClock(WallTime wall) : wall_(wall) {}

  MonoTime mono_now() const override { return mono_; }
  WallTime wall_now() const override { return wall_; }

  // Real time passes: both clocks move by `d` (must be >= 0).
  void advance(std::chrono::nanoseconds d) {
    mono_ += d;
    wall_ += d;
  }
  // The wall clock is stepped; monotonic time does not move.
  void set_wall(WallTime wall) { wall_ = wall; }
  void jump_wall(std::chrono::nanoseconds d) { wall_ += d; }

 private:
  MonoTime mono_{kDefaultMonoStart};
  WallTime wall_{kDefaultWallStart};
};

}  // namespace wgtrack::testing
