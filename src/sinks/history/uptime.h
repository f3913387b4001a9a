// Uptime: availability and outages of one peer over a window, from its status events and the
// times the daemon was running. Pure.
//
// How time is counted (each instant of the window lands in exactly one bucket):
//  - unknown: the daemon was not running (between a run's last sign of life and the next
//    start). wgtrack saw nothing then, so it is neither uptime nor downtime: it is left out of
//    the availability, and an outage that was open when the daemon stopped ends there (its end
//    is "daemon stopped", not a recovery).
//  - absent: the daemon ran but the peer had no state: before its first event of that run,
//    after it was removed.
//  - never: the peer was in state "never" (no handshake yet). Not an outage and left out of
//    the availability (a road-warrior client that has not connected is not a failure); shown
//    separately.
//  - up: states up, idle and stale (as counts_as_up: idle is a quiet peer, stale is the grace
//    state before an alarm);
//  - down: state down. Each stretch of down is an outage.
// availability = up / (up + down); nullopt when both are zero.
// A state is carried from the last event at or before the window start, but only within the
// same daemon run (a new run starts with its own initial_status events).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace wgtrack {

enum class StatusClass : std::uint8_t { kUp, kDown, kNever, kAbsent };
// "up"/"idle"/"stale" -> kUp, "down" -> kDown, "never" -> kNever, anything else ("removed",
// "") -> kAbsent.
StatusClass classify_status(std::string_view status);

// One status event of the peer (initial_status, status_change, peer_added, peer_removed).
struct StatusPoint {
  WallTime at{};
  std::string status;
  std::string reason;
};

// A daemon run: from its start to its last sign of life (or clean stop).
struct AliveSpan {
  WallTime start{};
  WallTime end{};
};

struct TimeWindow {
  WallTime start{};
  WallTime end{};
};

enum class OutageEnd : std::uint8_t {
  kRecovered,      // the peer left state down (up, idle, stale, never)
  kRemoved,        // the peer was removed while down
  kDaemonStopped,  // wgtrack stopped while the peer was down: what came next is unknown
  kOngoing,        // still down at the end of the window
};
const char* to_string(OutageEnd end);

struct Outage {
  WallTime start{};  // clipped to the window start (started_before_window tells)
  WallTime end{};    // the window end when ongoing
  OutageEnd end_kind = OutageEnd::kRecovered;
  bool started_before_window = false;
  std::string reason;  // of the event that put the peer down ("" when carried unknown)
  std::chrono::nanoseconds duration() const { return end - start; }
};

struct PeerUptime {
  std::chrono::nanoseconds up{0}, down{0}, never{0}, absent{0}, unknown{0};
  std::optional<double> availability;  // 0..1
  std::vector<Outage> outages;         // oldest first
};

// `points` and `alive` sorted by time (alive spans do not overlap); anything outside the
// window only matters for the state carried into it.
PeerUptime compute_uptime(const std::vector<StatusPoint>& points,
                          const std::vector<AliveSpan>& alive, TimeWindow window);

}  // namespace wgtrack
