// build_snapshot: the pure step from the daemon's live state to an immutable Snapshot (see
// snapshot.h). Called once per cycle, after Monitor::run_cycle; state sinks then render the
// result as often as they are asked without touching the Monitor.
#pragma once

#include <memory>

#include "core/clock.h"
#include "monitor/monitor.h"
#include "snapshot/self_metrics.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

// `mono` and `wall` are the clocks of the cycle just run: handshake ages are measured on
// `mono` (as the health tracker does), and a state's start time is converted to wall time as
// wall - (mono - state_since). Probe and endpoint-change counters and the state reason come
// from each peer's record.
// `previous`: the snapshot of an earlier cycle (the daemon keeps the last one it served);
// rx/tx rates are the counter deltas over the monotonic time between the two, and stay
// nullopt without it, for a peer it does not have, or when a counter went backwards.
Snapshot build_snapshot(const Monitor& monitor, const SelfMetrics& self, MonoTime mono,
                        WallTime wall, const Snapshot* previous = nullptr);

// A Snapshot built between regular cycles (a state changed in an early re-evaluation) keeps
// the rates of the regular one it follows: a rate over the few hundred milliseconds since
// would be noise. Peers `from` does not have keep nullopt.
void carry_rates(Snapshot& s, const Snapshot& from);

}  // namespace wgtrack
