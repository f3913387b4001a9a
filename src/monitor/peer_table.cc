#include "monitor/peer_table.h"

#include <utility>

namespace wgtrack {
namespace {

PeerObservation observation(const Peer& p, MonoTime mono, WallTime wall) {
  return PeerObservation{mono,       wall,       p.last_handshake,
                         p.rx_bytes, p.tx_bytes, std::chrono::seconds(p.persistent_keepalive)};
}

void keep_earliest(std::optional<MonoTime>& best, std::optional<MonoTime> d) {
  if (d && (!best || *d < *best)) best = d;
}

// The probe results that finished since the last read: counted, then handed to the tracker.
void take_probes(ProbeCounters& p) {
  for (const ProbeSample& s : p.pending) {
    if (!s.ok) {
      ++p.lost;
    } else if (s.rtt) {
      p.last_rtt = s.rtt;
    }
  }
}

}  // namespace

const char* to_string(TrackerEvent::Kind kind) {
  switch (kind) {
    case TrackerEvent::Kind::kPeerAdded:
      return "peer_added";
    case TrackerEvent::Kind::kPeerRemoved:
      return "peer_removed";
    case TrackerEvent::Kind::kEndpointChanged:
      return "endpoint_changed";
    case TrackerEvent::Kind::kHandshake:
      return "handshake";
    case TrackerEvent::Kind::kStatusChange:
      return "status_change";
  }
  return "?";
}

PeerRecord* PeerTable::find(const PublicKey& peer) {
  const auto it = index_.find(peer);
  return it == index_.end() ? nullptr : &records_[it->second];
}

const PeerRecord* PeerTable::find(const PublicKey& peer) const {
  const auto it = index_.find(peer);
  return it == index_.end() ? nullptr : &records_[it->second];
}

void PeerTable::reindex() {
  index_.clear();
  index_.reserve(current_.peers.size());
  for (std::uint32_t i = 0; i < current_.peers.size(); ++i) {
    index_.emplace(current_.peers[i].public_key, i);
  }
}

void PeerTable::update(Device snapshot, MonoTime mono, WallTime wall,
                       std::vector<TrackerEvent>& out, std::vector<RemovedPeer>* removed) {
  next_deadline_.reset();
  if (!started_) {
    started_ = true;
    current_ = std::move(snapshot);
    records_.clear();
    records_.reserve(current_.peers.size());
    for (const Peer& p : current_.peers) {
      records_.emplace_back(policy_for_(p.public_key), observation(p, mono, wall));
      keep_earliest(next_deadline_, records_.back().health.next_deadline(mono));
    }
    reindex();
    return;
  }

  differ_.diff(current_, snapshot, changes_);
  for (const PeerChange& c : changes_) {
    switch (c.kind) {
      case PeerChange::Kind::kAdded:
        break;  // reported below, once its record exists
      case PeerChange::Kind::kRemoved: {
        const Peer& gone = current_.peers[c.before];
        PeerRecord& r = records_[c.before];
        out.push_back({TrackerEvent::Kind::kPeerRemoved, gone.public_key, std::nullopt,
                       gone.endpoint, r.health.remove(), r.policy.name, r.our_write.has_value()});
        // The re-seat below only moves records of peers still present: this one is free.
        if (removed != nullptr) removed->push_back({gone.public_key, std::move(r)});
        break;
      }
      case PeerChange::Kind::kEndpointChanged:
        out.push_back({TrackerEvent::Kind::kEndpointChanged, snapshot.peers[c.after].public_key,
                       current_.peers[c.before].endpoint, snapshot.peers[c.after].endpoint,
                       std::nullopt});
        break;
      case PeerChange::Kind::kHandshake:
        out.push_back({TrackerEvent::Kind::kHandshake, snapshot.peers[c.after].public_key,
                       std::nullopt, snapshot.peers[c.after].endpoint, std::nullopt});
        break;
    }
  }

  const bool reseat = !differ_.aligned();
  if (reseat) {
    // Peers came, went or moved: re-seat the records in the new order (moves, no copies). A
    // removed peer's record is destroyed here, with everything kept for it.
    const auto matches = differ_.matches();
    rebuilt_.clear();
    rebuilt_.reserve(snapshot.peers.size());
    for (std::size_t i = 0; i < snapshot.peers.size(); ++i) {
      const Peer& p = snapshot.peers[i];
      if (matches[i] != PeerChange::kNone) {
        rebuilt_.push_back(std::move(records_[matches[i]]));
      } else {
        rebuilt_.emplace_back(policy_for_(p.public_key), observation(p, mono, wall));
        out.push_back(
            {TrackerEvent::Kind::kPeerAdded, p.public_key, std::nullopt, p.endpoint, std::nullopt});
      }
    }
    records_.swap(rebuilt_);
    rebuilt_.clear();
  }

  const auto matches = differ_.matches();
  for (std::size_t i = 0; i < snapshot.peers.size(); ++i) {
    if (matches[i] == PeerChange::kNone) continue;  // just added: its first observation is done
    const Peer& p = snapshot.peers[i];
    PeerRecord& r = records_[i];
    take_probes(r.probes);
    HealthUpdate u = r.health.observe(observation(p, mono, wall), r.probes.pending);
    r.probes.pending.clear();
    if (u.transition) {
      out.push_back({TrackerEvent::Kind::kStatusChange, p.public_key, std::nullopt, p.endpoint,
                     std::move(u.transition)});
    }
    keep_earliest(next_deadline_, u.next_deadline);
  }
  current_ = std::move(snapshot);
  if (reseat) reindex();
}

void PeerTable::reload_policies(PolicyFor policy_for) {
  policy_for_ = std::move(policy_for);
  for (std::size_t i = 0; i < records_.size(); ++i) {
    PeerRecord& r = records_[i];
    r.policy = policy_for_(current_.peers[i].public_key);
    r.health.set_policy(r.policy.health);
  }
}

}  // namespace wgtrack
