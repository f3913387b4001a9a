// When the daemon reads next: the regular cycle on its fixed grid, and an early read when a
// verdict can change before it (a threshold crossed, e.g. "no rx for 1.5 x keepalive").
//
// Pure: the daemon's timers carry the plan out. Two rules keep a deadline from being missed
// by a whole cycle when it falls a few milliseconds from a regular read (read latency moves
// the stamps of observations, so a limit that is a multiple of the cycle lands right next to
// the grid):
//   - a deadline at most `min_gap` after the regular read moves that read to the deadline;
//   - an early read is never closer than `min_gap` to now (a burst of deadlines costs one
//     extra read), so a deadline sooner than that is read `min_gap` from now.
#pragma once

#include <chrono>
#include <optional>

#include "core/clock.h"

namespace wgtrack {

struct CyclePlan {
  MonoTime regular;               // when the regular (probing) cycle runs
  std::optional<MonoTime> early;  // an extra read before it, when one is needed
};

CyclePlan plan_cycles(MonoTime now, MonoTime regular, std::optional<MonoTime> deadline,
                      std::chrono::nanoseconds min_gap);

}  // namespace wgtrack
