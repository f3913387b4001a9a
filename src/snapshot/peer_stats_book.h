// PeerStatsBook: per-peer counters the Monitor does not keep but state sinks export — probes
// sent and lost, the last probe RTT, endpoint changes by reason. Pure: fed with what the daemon
// already has (each cycle's CycleOutput, each finished probe), it never reads a clock.
//
// Lifetime follows the peer: an entry is created when a peer is first seen in a cycle's events
// or probe orders, and dropped with its peer_removed event (a removed peer's series disappear,
// ARCHITECTURE rule 7). A probe result for a peer without an entry is ignored, so a late reply
// cannot resurrect a removed peer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "monitor/monitor.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

// Endpoint-change reasons that are exported from 0 for every peer, so rate() sees the first
// change (a counter series that appears at 1 loses its first increment). Others appear when
// they first happen. "roamed" is the reason Monitor gives to a change the peer made itself.
inline constexpr std::string_view kKnownEndpointChangeReasons[] = {"roamed"};

class PeerStatsBook {
 public:
  struct Entry {
    std::uint64_t probes_sent = 0;
    std::uint64_t probes_lost = 0;
    std::optional<std::chrono::nanoseconds> last_rtt;
    std::map<std::string, std::uint64_t, std::less<>> endpoint_changes;  // by reason
    // The reason of the last event that set the peer's state (initial_status, peer_added,
    // status_change): why it is in its current state.
    std::string state_reason;
  };

  // Takes one cycle's output: initial_status/peer_added create entries, probe orders count as
  // sent, endpoint_changed counts by reason, peer_removed drops the entry; initial_status,
  // peer_added and status_change set state_reason.
  void record_cycle(const CycleOutput& out);
  // A probe ordered by a ProbeOrder finished (same meaning as Monitor::add_probe_result).
  void record_probe(const std::string& interface, const PublicKey& peer, const ProbeSample& sample);

  // nullptr when the peer is not known.
  const Entry* find(const std::string& interface, const PublicKey& peer) const;
  std::size_t size() const;

 private:
  Entry& entry(const std::string& interface, const PublicKey& peer);

  std::map<std::string, std::unordered_map<PublicKey, Entry, PublicKeyHash>, std::less<>> book_;
};

}  // namespace wgtrack
