#include "tracker/interface_tracker.h"

#include <utility>

namespace wgtrack {
namespace {

PeerObservation observation(const Peer& p, MonoTime mono, WallTime wall) {
  return PeerObservation{mono,       wall,       p.last_handshake,
                         p.rx_bytes, p.tx_bytes, std::chrono::seconds(p.persistent_keepalive)};
}

std::span<const ProbeSample> probes_of(const ProbeBook* probes, const PublicKey& key) {
  if (probes == nullptr || probes->empty()) return {};
  auto it = probes->find(key);
  if (it == probes->end()) return {};
  return it->second;
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

void InterfaceTracker::update(Device snapshot, MonoTime mono, WallTime wall,
                              std::vector<TrackerEvent>& out, const ProbeBook* probes) {
  next_deadline_.reset();
  if (!started_) {
    started_ = true;
    current_ = std::move(snapshot);
    trackers_.clear();
    trackers_.reserve(current_.peers.size());
    for (const Peer& p : current_.peers) {
      trackers_.emplace_back(policy_for_(p.public_key), observation(p, mono, wall));
      const auto d = trackers_.back().next_deadline(mono);
      if (d && (!next_deadline_ || *d < *next_deadline_)) next_deadline_ = d;
    }
    return;
  }

  differ_.diff(current_, snapshot, changes_);
  for (const PeerChange& c : changes_) {
    switch (c.kind) {
      case PeerChange::Kind::kAdded:
        break;  // reported below, once its tracker exists
      case PeerChange::Kind::kRemoved: {
        const Peer& gone = current_.peers[c.before];
        out.push_back({TrackerEvent::Kind::kPeerRemoved, gone.public_key, std::nullopt,
                       gone.endpoint, trackers_[c.before].remove()});
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

  if (!differ_.aligned()) {
    // Peers came, went or moved: re-seat the trackers in the new order (moves, no copies).
    const auto matches = differ_.matches();
    rebuilt_.clear();
    rebuilt_.reserve(snapshot.peers.size());
    for (std::size_t i = 0; i < snapshot.peers.size(); ++i) {
      const Peer& p = snapshot.peers[i];
      if (matches[i] != PeerChange::kNone) {
        rebuilt_.push_back(std::move(trackers_[matches[i]]));
      } else {
        rebuilt_.emplace_back(policy_for_(p.public_key), observation(p, mono, wall));
        out.push_back(
            {TrackerEvent::Kind::kPeerAdded, p.public_key, std::nullopt, p.endpoint, std::nullopt});
      }
    }
    trackers_.swap(rebuilt_);
  }

  const auto matches = differ_.matches();
  for (std::size_t i = 0; i < snapshot.peers.size(); ++i) {
    if (matches[i] == PeerChange::kNone) continue;  // just added: its first observation is done
    const Peer& p = snapshot.peers[i];
    HealthUpdate u =
        trackers_[i].observe(observation(p, mono, wall), probes_of(probes, p.public_key));
    if (u.transition) {
      out.push_back({TrackerEvent::Kind::kStatusChange, p.public_key, std::nullopt, p.endpoint,
                     std::move(u.transition)});
    }
    if (u.next_deadline && (!next_deadline_ || *u.next_deadline < *next_deadline_)) {
      next_deadline_ = u.next_deadline;
    }
  }
  current_ = std::move(snapshot);
}

void InterfaceTracker::reload_policies(PolicyFor policy_for) {
  policy_for_ = std::move(policy_for);
  for (std::size_t i = 0; i < trackers_.size(); ++i) {
    trackers_[i].set_policy(policy_for_(current_.peers[i].public_key));
  }
}

}  // namespace wgtrack
