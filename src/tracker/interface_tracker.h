// InterfaceTracker: one interface's peers across reads — the snapshot diff and a health state
// machine per peer, in one pass. Pure: the daemon hands it each new read with the read's clocks
// and gets the events back. It keeps the latest snapshot (moved in, not copied), which is also
// what state sinks render.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "tracker/peer_health.h"
#include "tracker/snapshot_diff.h"
#include "wireguard/device.h"

namespace wgtrack {

struct TrackerEvent {
  enum class Kind : std::uint8_t {
    kPeerAdded,        // health(): the new peer's initial state
    kPeerRemoved,      // transition: old state -> removed
    kEndpointChanged,  // old_endpoint -> endpoint
    kHandshake,        // a new latest-handshake
    kStatusChange,     // transition
  };
  Kind kind;
  PublicKey peer;
  std::optional<Endpoint> old_endpoint;
  std::optional<Endpoint> endpoint;  // the current one (the last known one for kPeerRemoved)
  std::optional<Transition> transition;
};
const char* to_string(TrackerEvent::Kind kind);

// Probe results that finished since the previous update, per peer, oldest first.
using ProbeBook = std::unordered_map<PublicKey, std::vector<ProbeSample>, PublicKeyHash>;

class InterfaceTracker {
 public:
  // Called once per new peer (first read, peer added) to get its thresholds.
  using PolicyFor = std::function<HealthPolicy(const PublicKey&)>;

  explicit InterfaceTracker(PolicyFor policy_for) : policy_for_(std::move(policy_for)) {}

  // Takes the next read of the interface. The first call only learns the peers (no events;
  // their initial states are in health(), for initial_status). Later calls append events to
  // `out` (not cleared): added/removed/endpoint/handshake facts first, then status changes.
  // Steady state (same peers) allocates nothing except for the events themselves.
  void update(Device snapshot, MonoTime mono, WallTime wall, std::vector<TrackerEvent>& out,
              const ProbeBook* probes = nullptr);

  // Re-resolves every peer's policy (SIGHUP), keeping states and history.
  void reload_policies(PolicyFor policy_for);

  const Device& snapshot() const { return current_; }
  // Parallel to snapshot().peers.
  std::span<const PeerHealthTracker> health() const { return trackers_; }
  // The earliest next_deadline over all peers after the last update.
  std::optional<MonoTime> next_deadline() const { return next_deadline_; }

 private:
  PolicyFor policy_for_;
  Device current_;
  std::vector<PeerHealthTracker> trackers_;
  std::vector<PeerHealthTracker> rebuilt_;
  SnapshotDiffer differ_;
  std::vector<PeerChange> changes_;
  std::optional<MonoTime> next_deadline_;
  bool started_ = false;
};

}  // namespace wgtrack
