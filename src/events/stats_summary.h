// StatsSummary: the periodic one-line summary of chouyu/wg_monitor's `stats_interval`
// ("Statistics - Checks: N, Failures: N, State changes: N, Parse errors: N, Tracking peers: N"),
// with the peers broken down by health state:
//   stats: checks=120 failures=2 changes=5 errors=0 peers=12 up=10 idle=1 stale=0 down=1 never=0
// Pure: the daemon feeds it once per cycle and asks, with its monotonic `now`, whether a line
// is due. Counters are totals since start (they survive SIGHUP reloads with the object).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace wgtrack {

// Peers by health state at the end of a cycle (states as in Event::status).
struct PeerStateCounts {
  std::uint64_t up = 0, idle = 0, stale = 0, down = 0, never = 0;
  std::uint64_t other = 0;  // a status this build does not know

  // Counts one peer by its status text ("up", "idle", ...); "removed" is not counted.
  void add(std::string_view status);
  std::uint64_t total() const { return up + idle + stale + down + never + other; }
  friend bool operator==(const PeerStateCounts&, const PeerStateCounts&) = default;
};

// What one cycle contributes.
struct CycleStats {
  bool backend_ok = true;     // false: reading WireGuard failed (a "failure")
  std::uint64_t changes = 0;  // status changes emitted this cycle
  std::uint64_t errors = 0;   // other errors this cycle (probe/resolve/parse)
  PeerStateCounts peers;      // the state after the cycle
};

class StatsSummary {
 public:
  using TimePoint = MonoTime;  // the daemon Clock's monotonic time

  // interval 0 = no periodic line (summary_line() still works, e.g. for a shutdown line).
  explicit StatsSummary(std::chrono::milliseconds interval = std::chrono::hours(1));

  void record_cycle(const CycleStats& cycle);
  void record_error(std::uint64_t n = 1) { errors_ += n; }

  // Changes the interval (SIGHUP) without resetting the counters; the next line is due one
  // new interval after the last one (or after start).
  void set_interval(std::chrono::milliseconds interval);
  std::chrono::milliseconds interval() const { return interval_; }

  // Starts the schedule: the first line is due `interval` after `now`.
  void start(TimePoint now);
  // When the next line is due; nullopt when off or not started.
  std::optional<TimePoint> next_due() const;
  // True if a line is due at `now`; schedules the next one. Due times stay on the grid
  // start + k * interval, so lines do not drift; after a long stall (suspend), missed slots are
  // skipped, never emitted in a burst.
  bool poll_due(TimePoint now);

  std::string summary_line() const;

  std::uint64_t checks() const { return checks_; }
  std::uint64_t failures() const { return failures_; }
  std::uint64_t changes() const { return changes_; }
  std::uint64_t errors() const { return errors_; }
  const PeerStateCounts& peers() const { return peers_; }

 private:
  std::chrono::milliseconds interval_;
  std::optional<TimePoint> last_;  // the grid point of the previous line (or the start)
  std::uint64_t checks_ = 0, failures_ = 0, changes_ = 0, errors_ = 0;
  PeerStateCounts peers_;
};

}  // namespace wgtrack
