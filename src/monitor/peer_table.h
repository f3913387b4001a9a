// PeerTable: one interface's peers across reads — the snapshot diff and a PeerRecord per peer,
// parallel to the latest read's peer list, in one pass. Pure: the Monitor hands it each new
// read with the read's clocks and gets the events back. It keeps the latest read (moved in, not
// copied), which is also what state views render.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "monitor/peer_record.h"
#include "tracker/snapshot_diff.h"
#include "wireguard/device.h"

namespace wgtrack {

struct TrackerEvent {
  enum class Kind : std::uint8_t {
    kPeerAdded,        // the new peer's record holds its initial state
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
  // kPeerRemoved only: what the gone record knew (the record itself is destroyed).
  std::string name;
  bool had_write = false;  // it was waiting for an endpoint wgtrack wrote
};
const char* to_string(TrackerEvent::Kind kind);

// A record the last read removed, with its peer's key (for a last look before it is destroyed).
struct RemovedPeer {
  PublicKey key;
  PeerRecord record;
};

class PeerTable {
 public:
  // Called once per new peer (first read, peer added) and for every peer on reload.
  using PolicyFor = std::function<ResolvedPeerPolicy(const PublicKey&)>;

  explicit PeerTable(PolicyFor policy_for) : policy_for_(std::move(policy_for)) {}

  // Takes the next read of the interface. The first call only learns the peers (no events;
  // their initial states are in the records, for initial_status). Later calls append events to
  // `out` (not cleared): added/removed/endpoint/handshake facts first, then status changes.
  // Each record's pending probe results are fed to its health tracker (and counted) and
  // cleared. Steady state (same peers) allocates nothing except for the events themselves.
  // `removed` (optional, not cleared): the records of the peers this read removed, moved out
  // for a last look (a switch in flight is reported aborted); otherwise they are destroyed.
  void update(Device snapshot, MonoTime mono, WallTime wall, std::vector<TrackerEvent>& out,
              std::vector<RemovedPeer>* removed = nullptr);

  // Re-resolves every peer's policy (SIGHUP), keeping states, counters and history.
  void reload_policies(PolicyFor policy_for);

  const Device& device() const { return current_; }
  // Parallel to device().peers.
  std::span<const PeerRecord> records() const { return records_; }
  std::span<PeerRecord> records() { return records_; }
  // The record of `peer`, nullptr when it is not in the latest read. O(1).
  PeerRecord* find(const PublicKey& peer);
  const PeerRecord* find(const PublicKey& peer) const;
  // The earliest health deadline over all peers after the last update.
  std::optional<MonoTime> next_deadline() const { return next_deadline_; }

 private:
  void reindex();

  PolicyFor policy_for_;
  Device current_;
  std::vector<PeerRecord> records_;
  std::vector<PeerRecord> rebuilt_;
  std::unordered_map<PublicKey, std::uint32_t, PublicKeyHash> index_;  // key -> position
  SnapshotDiffer differ_;
  std::vector<PeerChange> changes_;
  std::optional<MonoTime> next_deadline_;
  bool started_ = false;
};

}  // namespace wgtrack
