// Snapshot diff: what happened to the peers of one interface between two reads. Peers are
// matched by public key only (the identity WireGuard itself uses), never by endpoint: a peer
// that roams is the same peer with an endpoint change, not a disconnect plus a new peer.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "wireguard/device.h"

namespace wgtrack {

struct PeerChange {
  enum class Kind : std::uint8_t {
    kAdded,            // key in `after` only
    kRemoved,          // key in `before` only
    kEndpointChanged,  // same key, different endpoint (the peer roamed, or got its first one)
    kHandshake,        // same key, a new (different, present) latest-handshake timestamp
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;

  Kind kind;
  std::uint32_t before = kNone;  // index into before.peers; kNone for kAdded
  std::uint32_t after = kNone;   // index into after.peers; kNone for kRemoved
};
const char* to_string(PeerChange::Kind kind);  // "added", "removed", "endpoint_changed", ...

// Reusable differ: keeps its buffers across calls, so diffing same-sized snapshots allocates
// nothing. Cost: one 32-byte key compare per peer while both snapshots list the peers in the
// same order (backends report the device's own, stable peer order); after an insertion or a
// removal the walk resynchronises through an open-addressing index of `before`, built at most
// once per call. Not thread-safe; one per interface or per loop.
class SnapshotDiffer {
 public:
  // Replaces `out` with the changes from `before` to `after` (same interface): kAdded,
  // kEndpointChanged and kHandshake in `after` order, then kRemoved in `before` order.
  // Endpoint and handshake changes of one peer are two entries.
  void diff(const Device& before, const Device& after, std::vector<PeerChange>& out);

  // After diff(): for each after.peers[i], the index of the same key in before.peers, or kNone.
  std::span<const std::uint32_t> matches() const { return match_; }
  // After diff(): true when every peer kept its index (nothing added, removed or reordered).
  bool aligned() const { return aligned_; }

 private:
  void build_index(const Device& before);
  std::uint32_t find(const Device& before, const PublicKey& key) const;

  std::vector<std::uint32_t> match_;
  std::vector<std::uint8_t> seen_;    // per before.peers index
  std::vector<std::uint32_t> slots_;  // before.peers indices, kNone = empty; size = 2^k
  bool indexed_ = false;
  bool aligned_ = false;
};

}  // namespace wgtrack
