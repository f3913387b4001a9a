// PeerRecord: everything wgtrack keeps about one peer of one interface, in one place. The
// Monitor owns one per (interface, public key) for exactly as long as the peer is in the
// interface's latest read: when the peer goes, its record goes with it, so nothing (a late
// probe reply, a DNS answer, a counter) can be kept or written for it again. Pure data.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "endpoint/endpoint_manager.h"
#include "endpoint/endpoint_types.h"
#include "monitor/peer_policy.h"
#include "tracker/peer_health.h"

namespace wgtrack {

struct ProbeCounters {
  std::uint64_t sent = 0;  // in-tunnel probes ordered
  std::uint64_t lost = 0;  // ... that timed out or were answered unreachable
  std::optional<std::chrono::nanoseconds> last_rtt;
  std::vector<ProbeSample> pending;      // finished since the last read, oldest first
  std::optional<MonoTime> last_ordered;  // when the last probe was ordered (watch probes)
};

// Endpoint changes by endpoint::ChangeReason.
inline constexpr std::size_t kChangeReasonCount = 3;
static_assert(static_cast<std::size_t>(endpoint::ChangeReason::kRoamed) + 1 == kChangeReasonCount);
using EndpointChangeCounts = std::array<std::uint64_t, kChangeReasonCount>;

struct PeerRecord {
  PeerRecord(ResolvedPeerPolicy p, const PeerObservation& first)
      : policy(std::move(p)), health(policy.health, first) {}

  ResolvedPeerPolicy policy;  // from the configuration loaded last
  PeerHealthTracker health;
  ProbeCounters probes;
  EndpointChangeCounts endpoint_changes{};
  // Why the peer is in its current state: the reason of its last initial_status, peer_added
  // or status_change event.
  std::string state_reason;
  // Endpoint recovery's state machine; null when the peer is not managed (policy.recovery).
  std::unique_ptr<endpoint::EndpointManager> recovery;
  std::optional<MonoTime> recovery_deadline;  // when recovery's tick is due
  // An endpoint wgtrack wrote and the read has not shown yet: when it appears, the change is
  // ours (already announced with its reason), not the peer roaming.
  std::optional<Endpoint> our_write;
};

}  // namespace wgtrack
