#include "monitor/monitor.h"

#include <algorithm>
#include <set>

#include "probe/probe_target.h"

namespace wgtrack {
namespace {

using std::chrono::milliseconds;

ProbeTargetSetting to_setting(const config::ProbeTarget& t) {
  switch (t.mode) {
    case config::ProbeMode::kNone:
      return ProbeTargetSetting::none();
    case config::ProbeMode::kAddress:
      return ProbeTargetSetting::at(t.address);
    case config::ProbeMode::kAuto:
      break;
  }
  return ProbeTargetSetting::automatic();
}

}  // namespace

Monitor::Monitor(std::shared_ptr<const config::Config> config) : config_(std::move(config)) {}

void Monitor::set_config(std::shared_ptr<const config::Config> config) {
  config_ = std::move(config);
  settings_.clear();
  for (auto& [name, tracker] : trackers_) {
    tracker.reload_policies(
        [this, name = name](const PublicKey& key) { return settings(name, key).health; });
  }
}

const Monitor::PeerSettings& Monitor::settings(const std::string& interface, const PublicKey& key) {
  auto& per_interface = settings_[interface];
  auto it = per_interface.find(key);
  if (it != per_interface.end()) return it->second;
  const config::PeerPolicy p = config_->peer_policy(interface, key);
  PeerSettings s;
  s.health.handshake_stale = p.thresholds.handshake_stale;
  s.health.handshake_down = p.thresholds.handshake_down;
  s.health.keepalive_expected = p.thresholds.keepalive_expected;
  // ping_interval = 0 disables probes, and with them the probe verdicts.
  s.health.probe_fail_after =
      p.thresholds.ping_interval == 0 ? 0 : static_cast<int>(p.thresholds.ping_failafternum);
  s.ping_interval = p.thresholds.ping_interval;
  s.probe_target = p.probe_target;
  s.name = p.name.value_or("");
  return per_interface.emplace(key, std::move(s)).first->second;
}

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
    auto it = trackers_.find(read.name);
    const bool is_new = it == trackers_.end();
    if (is_new) {
      it = trackers_
               .emplace(read.name, InterfaceTracker([this, name = read.name](const PublicKey& k) {
                          return settings(name, k).health;
                        }))
               .first;
    }
    ProbeBook& probes = pending_probes_[read.name];
    scratch_.clear();
    it->second.update(std::move(*read.device), mono, wall, scratch_, &probes);
    probes.clear();
    if (is_new) {
      initial_events(read.name, it->second,
                     first_cycle ? EventType::kInitialStatus : EventType::kPeerAdded, wall, out);
    } else {
      convert(read.name, it->second, scratch_, wall, out);
    }
    if (probe_round) schedule_probes(read.name, it->second, out);
  }
  for (auto it = trackers_.begin(); it != trackers_.end();) {
    const std::string name = it->first;
    ++it;
    if (!present.count(name)) remove_interface(name, wall, out);
  }
  for (const Event& e : out.events) {
    if (e.type == EventType::kStatusChange) ++out.stats.changes;
  }
  out.stats.peers = counts();
}

void Monitor::initial_events(const std::string& interface, const InterfaceTracker& tracker,
                             EventType type, WallTime wall, CycleOutput& out) {
  const auto& peers = tracker.snapshot().peers;
  const auto health = tracker.health();
  for (std::size_t i = 0; i < peers.size(); ++i) {
    Event e = base_event(type, interface, peers[i], wall);
    e.name = settings(interface, peers[i].public_key).name;
    e.status = to_string(health[i].state());
    e.reason = type == EventType::kInitialStatus ? "daemon started" : "interface appeared";
    out.events.push_back(std::move(e));
  }
}

void Monitor::convert(const std::string& interface, const InterfaceTracker& tracker,
                      const std::vector<TrackerEvent>& in, WallTime wall, CycleOutput& out) {
  if (in.empty()) return;
  const auto& peers = tracker.snapshot().peers;
  const auto health = tracker.health();
  index_.clear();
  index_.reserve(peers.size());
  for (std::uint32_t i = 0; i < peers.size(); ++i) index_.emplace(peers[i].public_key, i);

  for (const TrackerEvent& t : in) {
    const auto found = index_.find(t.peer);
    Event e;
    if (found != index_.end()) {
      const std::uint32_t i = found->second;
      e = base_event(EventType::kStatusChange, interface, peers[i], wall);
      e.status = to_string(health[i].state());
    } else {  // removed: the peer is no longer in the snapshot
      e.timestamp = wall;
      e.interface = interface;
      e.peer = t.peer;
      e.endpoint = t.endpoint;
    }
    e.name = settings(interface, t.peer).name;
    switch (t.kind) {
      case TrackerEvent::Kind::kPeerAdded:
        e.type = EventType::kPeerAdded;
        e.reason = "peer added";
        break;
      case TrackerEvent::Kind::kPeerRemoved:
        e.type = EventType::kPeerRemoved;
        e.old_status = t.transition ? to_string(t.transition->from) : "";
        e.status = "removed";
        e.reason = "peer removed";
        break;
      case TrackerEvent::Kind::kEndpointChanged:
        e.type = EventType::kEndpointChanged;
        e.old_endpoint = t.old_endpoint;
        e.endpoint = t.endpoint;
        e.reason = "roamed";  // wgtrack writes no endpoint yet: any change is the peer's own
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
        }
        break;
    }
    out.events.push_back(std::move(e));
  }
  // Settings of peers gone for good are not needed any more.
  for (const TrackerEvent& t : in) {
    if (t.kind == TrackerEvent::Kind::kPeerRemoved) settings_[interface].erase(t.peer);
  }
}

void Monitor::schedule_probes(const std::string& interface, const InterfaceTracker& tracker,
                              CycleOutput& out) {
  const auto& peers = tracker.snapshot().peers;
  const auto cycle_time = std::chrono::duration_cast<milliseconds>(config_->general.cycle_time);
  for (const Peer& p : peers) {
    // Without an endpoint WireGuard has nowhere to send: a never-connected dial-in peer.
    if (!p.endpoint) continue;
    const PeerSettings& s = settings(interface, p.public_key);
    if (s.ping_interval == 0 || cycle_ % s.ping_interval != 0) continue;
    const ProbeTargetChoice choice = select_probe_target(p.allowed_ips, to_setting(s.probe_target));
    if (!choice.target) continue;
    out.probes.push_back({interface, p.public_key, *choice.target,
                          probe_timeout(cycle_time * static_cast<int>(s.ping_interval))});
  }
}

std::optional<ProbeOrder> Monitor::traffic_probe(const std::string& interface,
                                                 const PublicKey& peer) {
  const auto it = trackers_.find(interface);
  if (it == trackers_.end()) return std::nullopt;
  for (const Peer& p : it->second.snapshot().peers) {
    if (p.public_key != peer) continue;
    if (!p.endpoint) return std::nullopt;
    const PeerSettings& s = settings(interface, peer);
    const ProbeTargetChoice choice = select_probe_target(p.allowed_ips, to_setting(s.probe_target));
    if (!choice.target) return std::nullopt;
    const auto period = std::chrono::duration_cast<milliseconds>(config_->general.cycle_time);
    return ProbeOrder{interface, peer, *choice.target, probe_timeout(period)};
  }
  return std::nullopt;
}

void Monitor::remove_interface(const std::string& interface, WallTime wall, CycleOutput& out) {
  auto it = trackers_.find(interface);
  if (it == trackers_.end()) return;
  const auto& peers = it->second.snapshot().peers;
  const auto health = it->second.health();
  for (std::size_t i = 0; i < peers.size(); ++i) {
    Event e = base_event(EventType::kPeerRemoved, interface, peers[i], wall);
    e.name = settings(interface, peers[i].public_key).name;
    e.old_status = to_string(health[i].state());
    e.status = "removed";
    e.reason = "interface removed";
    out.events.push_back(std::move(e));
  }
  trackers_.erase(it);
  pending_probes_.erase(interface);
  settings_.erase(interface);
}

void Monitor::add_probe_result(const std::string& interface, const PublicKey& peer,
                               const ProbeSample& sample) {
  if (!trackers_.count(interface)) return;  // the interface went away meanwhile
  pending_probes_[interface][peer].push_back(sample);
}

PeerStateCounts Monitor::counts() const {
  PeerStateCounts c;
  for (const auto& [name, tracker] : trackers_) {
    for (const auto& h : tracker.health()) c.add(to_string(h.state()));
  }
  return c;
}

std::string Monitor::status_line() const {
  const PeerStateCounts c = counts();
  std::string s = std::to_string(trackers_.size()) +
                  (trackers_.size() == 1 ? " interface, " : " interfaces, ") +
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
  for (const auto& [name, tracker] : trackers_) {
    const auto d = tracker.next_deadline();
    if (d && (!best || *d < *best)) best = d;
  }
  return best;
}

std::string_view Monitor::peer_name(const std::string& interface, const PublicKey& key) const {
  const auto per_interface = settings_.find(interface);
  if (per_interface == settings_.end()) return {};
  const auto it = per_interface->second.find(key);
  return it == per_interface->second.end() ? std::string_view() : it->second.name;
}

}  // namespace wgtrack
