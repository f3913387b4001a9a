#include "snapshot/snapshot_builder.h"

#include <algorithm>
#include <string_view>

#include "snapshot/recovery_snapshot.h"

namespace wgtrack {
namespace {

// "roamed" is exported from 0 for every peer, so rate() sees the first change (a counter series
// that appears at 1 loses its first increment); reresolve and failover appear when they first
// happen (only managed peers have them). Sorted by reason.
void fill_changes(const EndpointChangeCounts& counts, std::vector<ReasonCount>& out) {
  constexpr endpoint::ChangeReason kByName[] = {endpoint::ChangeReason::kFailover,
                                                endpoint::ChangeReason::kReresolve,
                                                endpoint::ChangeReason::kRoamed};
  static_assert(std::size(kByName) == kChangeReasonCount);
  for (endpoint::ChangeReason reason : kByName) {
    const std::uint64_t n = counts[static_cast<std::size_t>(reason)];
    if (n == 0 && reason != endpoint::ChangeReason::kRoamed) continue;
    out.push_back({endpoint::to_string(reason), n});
  }
}

std::optional<double> rate(std::uint64_t now, std::uint64_t before, double seconds) {
  // A counter that went backwards was reset (interface restarted, peer re-created): the delta
  // is unknown, and a negative or wrapped rate would be a lie.
  if (now < before) return std::nullopt;
  return static_cast<double>(now - before) / seconds;
}

// Both interface lists are sorted by name and both peer lists by key text (the Snapshot's
// order contract), so one merge pass pairs them: O(peers), no lookups.
template <typename Pair>
void for_each_pair(Snapshot& s, const Snapshot& previous, Pair pair) {
  auto old_if = previous.interfaces.begin();
  for (InterfaceSnapshot& i : s.interfaces) {
    while (old_if != previous.interfaces.end() && old_if->name < i.name) ++old_if;
    if (old_if == previous.interfaces.end()) return;
    if (old_if->name != i.name) continue;
    auto old_peer = old_if->peers.begin();
    for (PeerSnapshot& p : i.peers) {
      while (old_peer != old_if->peers.end() && old_peer->key < p.key) ++old_peer;
      if (old_peer == old_if->peers.end()) break;
      if (old_peer->key != p.key) continue;
      pair(p, *old_peer);
    }
  }
}

void fill_rates(Snapshot& s, const Snapshot& previous) {
  const auto dt = s.taken_at_mono - previous.taken_at_mono;
  if (dt <= MonoTime::duration::zero()) return;
  const double seconds = std::chrono::duration<double>(dt).count();
  for_each_pair(s, previous, [seconds](PeerSnapshot& p, const PeerSnapshot& old) {
    p.rx_rate = rate(p.rx_bytes, old.rx_bytes, seconds);
    p.tx_rate = rate(p.tx_bytes, old.tx_bytes, seconds);
  });
}

}  // namespace

Snapshot build_snapshot(const Monitor& monitor, const SelfMetrics& self, MonoTime mono,
                        WallTime wall, const Snapshot* previous) {
  Snapshot s;
  s.taken_at = wall;
  s.taken_at_mono = mono;
  s.self = self;
  s.interfaces.reserve(monitor.interfaces().size());
  for (const auto& [name, table] : monitor.interfaces()) {  // std::map: sorted by name
    const Device& d = table.device();
    const auto records = table.records();
    InterfaceSnapshot& i = s.interfaces.emplace_back();
    i.name = name;
    i.backend = d.backend;
    i.public_key = d.public_key;
    i.listen_port = d.listen_port;
    i.fwmark = d.fwmark;
    i.peers.reserve(d.peers.size());
    for (std::size_t k = 0; k < d.peers.size(); ++k) {
      const Peer& p = d.peers[k];
      const PeerRecord& r = records[k];
      const PeerHealthTracker& h = r.health;
      PeerSnapshot& o = i.peers.emplace_back();
      o.public_key = p.public_key;
      o.key.reserve(44);
      p.public_key.append_base64(o.key);
      o.name = r.policy.name;
      o.endpoint = p.endpoint;
      o.allowed_ips = p.allowed_ips;
      o.last_handshake = p.last_handshake;
      o.rx_bytes = p.rx_bytes;
      o.tx_bytes = p.tx_bytes;
      o.persistent_keepalive = p.persistent_keepalive;
      o.health = h.state();
      // A state that began "in the future" of this cycle cannot happen on one monotonic
      // clock; clamp anyway so a test clock cannot produce a state_since after taken_at.
      o.state_since = wall - std::max(mono - h.state_since(), MonoTime::duration(0));
      o.handshake_age = h.handshake_age(mono);
      o.probes.consecutive_failures = h.consecutive_probe_failures();
      o.probes.sent = r.probes.sent;
      o.probes.lost = r.probes.lost;
      o.probes.last_rtt = r.probes.last_rtt;
      const ProbeTargetChoice target =
          select_probe_target(p.allowed_ips, r.policy.probe_target, r.policy.probe_hints);
      o.probes.target = target.target;
      o.probes.target_source = target.source;
      o.reason = r.state_reason;
      fill_changes(r.endpoint_changes, o.endpoint_changes);
      if (r.recovery && r.recovery->phase() != endpoint::RecoveryPhase::kRemoved) {
        o.recovery = to_recovery_snapshot(r.recovery->status(mono), mono, wall);
      }
    }
    std::sort(i.peers.begin(), i.peers.end(),
              [](const PeerSnapshot& a, const PeerSnapshot& b) { return a.key < b.key; });
  }
  if (previous != nullptr) fill_rates(s, *previous);
  return s;
}

void carry_rates(Snapshot& s, const Snapshot& from) {
  for_each_pair(s, from, [](PeerSnapshot& p, const PeerSnapshot& old) {
    p.rx_rate = old.rx_rate;
    p.tx_rate = old.tx_rate;
  });
}

}  // namespace wgtrack
