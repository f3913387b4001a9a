#include "daemon/cycle_plan.h"

#include <algorithm>

namespace wgtrack {

CyclePlan plan_cycles(MonoTime now, MonoTime regular, std::optional<MonoTime> deadline,
                      std::chrono::nanoseconds min_gap) {
  CyclePlan plan{regular, std::nullopt};
  if (!deadline) return plan;
  if (*deadline >= regular) {
    // Just after the regular read: that read waits for it (a few ms) instead of missing it
    // by a whole cycle.
    if (*deadline - regular <= min_gap) plan.regular = *deadline;
    return plan;
  }
  const MonoTime early = std::max(*deadline, now + min_gap);
  // The regular read comes first, or so close after that a second read buys nothing.
  if (early < regular) plan.early = early;
  return plan;
}

}  // namespace wgtrack
