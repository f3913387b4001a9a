#include "tracker/snapshot_diff.h"

#include <algorithm>
#include <bit>

namespace wgtrack {

const char* to_string(PeerChange::Kind kind) {
  switch (kind) {
    case PeerChange::Kind::kAdded:
      return "added";
    case PeerChange::Kind::kRemoved:
      return "removed";
    case PeerChange::Kind::kEndpointChanged:
      return "endpoint_changed";
    case PeerChange::Kind::kHandshake:
      return "handshake";
  }
  return "?";
}

void SnapshotDiffer::build_index(const Device& before) {
  // Load factor <= 1/2 keeps linear probing short. Keys are uniformly random Curve25519 points,
  // so PublicKeyHash (their first 8 bytes) masked to a power of two spreads them evenly.
  const std::size_t n = before.peers.size();
  const std::size_t size = std::bit_ceil(std::max<std::size_t>(16, 2 * n));
  slots_.assign(size, PeerChange::kNone);
  const std::size_t mask = size - 1;
  for (std::size_t j = 0; j < n; ++j) {
    std::size_t s = PublicKeyHash{}(before.peers[j].public_key) & mask;
    while (slots_[s] != PeerChange::kNone) s = (s + 1) & mask;
    slots_[s] = static_cast<std::uint32_t>(j);
  }
  indexed_ = true;
}

std::uint32_t SnapshotDiffer::find(const Device& before, const PublicKey& key) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = PublicKeyHash{}(key)&mask;; s = (s + 1) & mask) {
    const std::uint32_t j = slots_[s];
    if (j == PeerChange::kNone || before.peers[j].public_key == key) return j;
  }
}

void SnapshotDiffer::diff(const Device& before, const Device& after, std::vector<PeerChange>& out) {
  out.clear();
  const auto& old_peers = before.peers;
  const auto& new_peers = after.peers;
  match_.assign(new_peers.size(), PeerChange::kNone);
  seen_.assign(old_peers.size(), 0);
  indexed_ = false;
  aligned_ = old_peers.size() == new_peers.size();

  std::size_t matched = 0;
  std::uint32_t expect = 0;  // where the next peer sits in `before` if the order is kept
  for (std::uint32_t i = 0; i < new_peers.size(); ++i) {
    const Peer& p = new_peers[i];
    std::uint32_t j = PeerChange::kNone;
    if (expect < old_peers.size() && old_peers[expect].public_key == p.public_key) {
      j = expect;
    } else {
      if (!indexed_) build_index(before);
      j = find(before, p.public_key);
      if (j != PeerChange::kNone && seen_[j]) j = PeerChange::kNone;  // duplicate key in `after`
    }
    if (j != i) aligned_ = false;
    if (j == PeerChange::kNone) {
      out.push_back({PeerChange::Kind::kAdded, PeerChange::kNone, i});
      continue;
    }
    seen_[j] = 1;
    match_[i] = j;
    expect = j + 1;
    ++matched;
    const Peer& q = old_peers[j];
    if (p.endpoint != q.endpoint) out.push_back({PeerChange::Kind::kEndpointChanged, j, i});
    if (p.last_handshake && p.last_handshake != q.last_handshake) {
      out.push_back({PeerChange::Kind::kHandshake, j, i});
    }
  }
  if (matched < old_peers.size()) {
    for (std::uint32_t j = 0; j < old_peers.size(); ++j) {
      if (!seen_[j]) out.push_back({PeerChange::Kind::kRemoved, j, PeerChange::kNone});
    }
  }
}

}  // namespace wgtrack
