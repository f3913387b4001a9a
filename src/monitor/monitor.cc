#include "monitor/monitor.h"

#include <algorithm>
#include <set>

#include "monitor/peer_policy.h"
#include "probe/probe_target.h"

namespace wgtrack {
namespace {

using std::chrono::milliseconds;

}  // namespace

Monitor::Monitor(std::shared_ptr<const config::Config> config)
    : config_(std::move(config)), recovery_enabled_(recovery_configured(*config_)) {}

void Monitor::set_config(std::shared_ptr<const config::Config> config) {
  config_ = std::move(config);
  recovery_enabled_ = recovery_allowed_ && recovery_configured(*config_);
  for (auto& [name, table] : tables_) {
    table.reload_policies([this, name = name](const PublicKey& key) {
      return resolve_peer_policy(*config_, name, key);
    });
    for (PeerRecord& r : table.records()) refresh_recovery(r, recovery_enabled_);
  }
}

namespace {
// A watch read may come a little before watch_interval has passed since the last probe (the
// reads are planned on a grid, and other reads fall between): probe then anyway.
constexpr std::chrono::milliseconds kWatchSlack{50};
}  // namespace

milliseconds Monitor::probe_timeout(milliseconds period) {
  return std::clamp(period / 2, milliseconds(100), milliseconds(1000));
}

Event Monitor::base_event(EventType type, const std::string& interface, const Peer& peer,
                          WallTime wall) const {
  Event e;
  e.type = type;
  e.timestamp = wall;
  e.interface = interface;
  e.peer = peer.public_key;
  e.endpoint = peer.endpoint;
  e.allowed_ips = peer.allowed_ips;
  e.last_handshake = peer.last_handshake;
  return e;
}

void Monitor::run_cycle(std::vector<InterfaceRead> reads, MonoTime mono, WallTime wall,
                        CycleOutput& out, bool probe_round) {
  if (probe_round) ++cycle_;
  const bool first_cycle = !started_;
  started_ = true;
  std::set<std::string> present;
  for (InterfaceRead& read : reads) {
    if (!config_->interface_enabled(read.name)) continue;
    if (!read.device) {
      if (read.device.error().code == ErrorCode::kNotFound) continue;  // gone: removed below
      present.insert(read.name);  // keep its state: a failed read is not a removal
      out.stats.backend_ok = false;
      out.warnings.push_back(read.name + ": " + read.device.error().message);
      continue;
    }
    present.insert(read.name);
    auto it = tables_.find(read.name);
    const bool is_new = it == tables_.end();
    if (is_new) {
      it = tables_
               .emplace(read.name, PeerTable([this, name = read.name](const PublicKey& k) {
                          return resolve_peer_policy(*config_, name, k);
                        }))
               .first;
    }
    scratch_.clear();
    removed_.clear();
    it->second.update(std::move(*read.device), mono, wall, scratch_, &removed_);
    for (RemovedPeer& gone : removed_) {
      retire({read.name, gone.key}, gone.record, mono, wall, {out.events, out.recovery, out.log});
    }
    removed_.clear();
    if (is_new) {
      initial_events(read.name, it->second,
                     first_cycle ? EventType::kInitialStatus : EventType::kPeerAdded, wall, out);
    } else {
      convert(read.name, it->second, scratch_, wall, out);
    }
    if (writes_in_flight_ > 0) settle_writes(it->second);
    if (recovery_enabled_) {
      observe_recovery(read.name, it->second, mono, wall, {out.events, out.recovery, out.log});
    }
    schedule_probes(read.name, it->second, mono, probe_round, out);
  }
  for (auto it = tables_.begin(); it != tables_.end();) {
    const std::string name = it->first;
    ++it;
    if (!present.count(name)) remove_interface(name, mono, wall, out);
  }
  for (const Event& e : out.events) {
    if (e.type == EventType::kStatusChange) ++out.stats.changes;
  }
  out.stats.peers = counts();
}

void Monitor::initial_events(const std::string& interface, PeerTable& table, EventType type,
                             WallTime wall, CycleOutput& out) {
  const auto& peers = table.device().peers;
  const auto records = table.records();
  for (std::size_t i = 0; i < peers.size(); ++i) {
    PeerRecord& r = records[i];
    Event e = base_event(type, interface, peers[i], wall);
    e.name = r.policy.name;
    e.status = to_string(r.health.state());
    e.reason = type == EventType::kInitialStatus ? "daemon started" : "interface appeared";
    r.state_reason = e.reason;
    out.events.push_back(std::move(e));
  }
}

void Monitor::convert(const std::string& interface, PeerTable& table,
                      const std::vector<TrackerEvent>& in, WallTime wall, CycleOutput& out) {
  if (in.empty()) return;
  const auto& peers = table.device().peers;
  const auto records = table.records();
  for (const TrackerEvent& t : in) {
    PeerRecord* r = table.find(t.peer);
    Event e;
    if (r != nullptr) {
      const std::size_t i = static_cast<std::size_t>(r - records.data());
      e = base_event(EventType::kStatusChange, interface, peers[i], wall);
      e.status = to_string(r->health.state());
      e.name = r->policy.name;
    } else {  // removed: the peer and its record are gone; the event carries what was known
      e.timestamp = wall;
      e.interface = interface;
      e.peer = t.peer;
      e.endpoint = t.endpoint;
      e.name = t.name;
    }
    switch (t.kind) {
      case TrackerEvent::Kind::kPeerAdded:
        e.type = EventType::kPeerAdded;
        e.reason = "peer added";
        if (r != nullptr) r->state_reason = e.reason;
        break;
      case TrackerEvent::Kind::kPeerRemoved:
        e.type = EventType::kPeerRemoved;
        e.old_status = t.transition ? to_string(t.transition->from) : "";
        e.status = "removed";
        e.reason = "peer removed";
        if (t.had_write) --writes_in_flight_;
        break;
      case TrackerEvent::Kind::kEndpointChanged:
        if (r != nullptr && r->our_write) {
          const bool ours = t.endpoint == r->our_write;
          r->our_write.reset();
          --writes_in_flight_;
          if (ours) continue;  // announced with its reason when it was written
        }
        e.type = EventType::kEndpointChanged;
        e.old_endpoint = t.old_endpoint;
        e.endpoint = t.endpoint;
        e.reason = endpoint::to_string(endpoint::ChangeReason::kRoamed);  // the peer's own
        if (r != nullptr)
          ++r->endpoint_changes[static_cast<std::size_t>(endpoint::ChangeReason::kRoamed)];
        break;
      case TrackerEvent::Kind::kHandshake:
        e.type = EventType::kHandshake;
        e.reason = "handshake completed";
        break;
      case TrackerEvent::Kind::kStatusChange:
        e.type = EventType::kStatusChange;
        if (t.transition) {
          e.old_status = to_string(t.transition->from);
          e.status = to_string(t.transition->to);
          e.reason = t.transition->reason.text;
          if (r != nullptr) r->state_reason = e.reason;
        }
        break;
    }
    out.events.push_back(std::move(e));
  }
}

void Monitor::settle_writes(PeerTable& table) {
  // A write the read already shows without a change event (the endpoint was already there).
  const auto& peers = table.device().peers;
  const auto records = table.records();
  for (std::size_t i = 0; i < peers.size() && writes_in_flight_ > 0; ++i) {
    if (records[i].our_write && peers[i].endpoint == records[i].our_write) {
      records[i].our_write.reset();
      --writes_in_flight_;
    }
  }
}

void Monitor::schedule_probes(const std::string& interface, PeerTable& table, MonoTime mono,
                              bool probe_round, CycleOutput& out) {
  const auto& peers = table.device().peers;
  const auto records = table.records();
  const auto cycle_time = std::chrono::duration_cast<milliseconds>(config_->general.cycle_time);
  const auto watch = std::chrono::duration_cast<milliseconds>(config_->general.watch_interval);
  const bool watching = watch.count() > 0 && watch < cycle_time;
  if (!probe_round && !watching) return;
  for (std::size_t i = 0; i < peers.size(); ++i) {
    const Peer& p = peers[i];
    // Without an endpoint WireGuard has nowhere to send: a never-connected dial-in peer.
    if (!p.endpoint) continue;
    PeerRecord& r = records[i];
    const std::uint32_t every = r.policy.ping_interval;
    if (every == 0) continue;  // probes off for this peer
    milliseconds timeout;
    if (probe_round && cycle_ % every == 0) {
      timeout = probe_timeout(cycle_time * static_cast<int>(every));
    } else if (watching && r.policy.recovery &&
               (!r.probes.last_ordered || mono - *r.probes.last_ordered >= watch - kWatchSlack)) {
      // A link this host dials out on: probed every watch_interval between cycles too.
      timeout = probe_timeout(watch);
    } else {
      continue;
    }
    const ProbeTargetChoice choice =
        select_probe_target(p.allowed_ips, r.policy.probe_target, r.policy.probe_hints);
    if (!choice.target) continue;
    out.probes.push_back({interface, p.public_key, *choice.target, timeout});
    ++r.probes.sent;
    r.probes.last_ordered = mono;
  }
}

std::optional<ProbeOrder> Monitor::traffic_probe(const std::string& interface,
                                                 const PublicKey& peer, milliseconds timeout) {
  const auto it = tables_.find(interface);
  if (it == tables_.end()) return std::nullopt;
  PeerRecord* r = find_mutable(interface, peer);
  if (r == nullptr) return std::nullopt;
  const auto index = static_cast<std::size_t>(r - it->second.records().data());
  // No endpoint check: the write this probe follows has just given the peer one.
  const Peer& p = it->second.device().peers[index];
  const ProbeTargetChoice choice =
      select_probe_target(p.allowed_ips, r->policy.probe_target, r->policy.probe_hints);
  if (!choice.target) return std::nullopt;
  ++r->probes.sent;
  return ProbeOrder{interface, peer, *choice.target, timeout};
}

void Monitor::remove_interface(const std::string& interface, MonoTime mono, WallTime wall,
                               CycleOutput& out) {
  auto it = tables_.find(interface);
  if (it == tables_.end()) return;
  const auto& peers = it->second.device().peers;
  const auto records = it->second.records();
  for (std::size_t i = 0; i < peers.size(); ++i) {
    Event e = base_event(EventType::kPeerRemoved, interface, peers[i], wall);
    e.name = records[i].policy.name;
    e.old_status = to_string(records[i].health.state());
    e.status = "removed";
    e.reason = "interface removed";
    if (records[i].our_write) --writes_in_flight_;
    out.events.push_back(std::move(e));
    retire({interface, peers[i].public_key}, records[i], mono, wall,
           {out.events, out.recovery, out.log});
  }
  tables_.erase(it);
}

PeerRecord* Monitor::find_mutable(const std::string& interface, const PublicKey& peer) {
  const auto it = tables_.find(interface);
  return it == tables_.end() ? nullptr : it->second.find(peer);
}

const PeerRecord* Monitor::find(const std::string& interface, const PublicKey& peer) const {
  const auto it = tables_.find(interface);
  return it == tables_.end() ? nullptr : it->second.find(peer);
}

void Monitor::add_probe_result(const std::string& interface, const PublicKey& peer,
                               const ProbeSample& sample) {
  // A peer (or interface) gone meanwhile has no record: the late result is dropped.
  if (PeerRecord* r = find_mutable(interface, peer)) r->probes.pending.push_back(sample);
}

PeerStateCounts Monitor::counts() const {
  PeerStateCounts c;
  for (const auto& [name, table] : tables_) {
    for (const PeerRecord& r : table.records()) c.add(to_string(r.health.state()));
  }
  return c;
}

std::string Monitor::status_line() const {
  const PeerStateCounts c = counts();
  std::string s = std::to_string(tables_.size()) +
                  (tables_.size() == 1 ? " interface, " : " interfaces, ") +
                  std::to_string(c.total()) + (c.total() == 1 ? " peer" : " peers");
  const std::pair<const char*, std::uint64_t> parts[] = {
      {"up", c.up}, {"idle", c.idle}, {"stale", c.stale}, {"down", c.down}, {"never", c.never}};
  bool first = true;
  for (const auto& [label, n] : parts) {
    if (n == 0) continue;
    s += first ? ": " : ", ";
    first = false;
    s += std::to_string(n) + " " + label;
  }
  return s;
}

std::optional<MonoTime> Monitor::next_deadline() const {
  std::optional<MonoTime> best;
  for (const auto& [name, table] : tables_) {
    const auto d = table.next_deadline();
    if (d && (!best || *d < *best)) best = d;
  }
  return best;
}

std::string_view Monitor::peer_name(const std::string& interface, const PublicKey& key) const {
  const PeerRecord* r = find(interface, key);
  return r == nullptr ? std::string_view() : std::string_view(r->policy.name);
}

}  // namespace wgtrack
