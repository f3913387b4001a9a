// SystemClock: the production Clock. Monotonic time from CLOCK_BOOTTIME (keeps counting
// through suspend, so "no rx for 5 minutes" stays true after a laptop wakes), wall time from
// CLOCK_REALTIME.
#pragma once

#include "core/clock.h"

namespace wgtrack {

class SystemClock final : public Clock {
 public:
  MonoTime mono_now() const override;
  WallTime wall_now() const override;
};

}  // namespace wgtrack
