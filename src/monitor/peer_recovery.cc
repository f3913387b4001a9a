// The Monitor's endpoint recovery: each managed peer's EndpointManager lives in its record,
// observes the read with the record's verdict, and its steps become events, orders and log
// lines here (pure; the daemon's ActionRunner carries the orders out).
#include <algorithm>

#include "events/sink_text.h"
#include "monitor/monitor.h"

namespace wgtrack {

void Monitor::allow_recovery(bool allowed) {
  recovery_allowed_ = allowed;
  recovery_enabled_ = recovery_allowed_ && recovery_configured(*config_);
  for (auto& [name, table] : tables_) {
    for (PeerRecord& r : table.records()) refresh_recovery(r, recovery_enabled_);
  }
}

void Monitor::refresh_recovery(PeerRecord& r, bool enabled) {
  const auto& setup = r.policy.recovery;
  if (!setup || !enabled) {
    r.recovery.reset();  // no longer managed: dropped silently
    r.recovery_deadline.reset();
    return;
  }
  if (r.recovery && r.recovery->has_hosts(setup->hosts)) {
    r.recovery->set_policy(setup->policy);  // same hosts: state, back-off and answers stay
    return;
  }
  if (r.recovery) {  // new hosts: start afresh
    r.recovery.reset();
    r.recovery_deadline.reset();
  }
}

void Monitor::observe_recovery(const std::string& interface, PeerTable& table, MonoTime mono,
                               WallTime wall, Sink out) {
  const auto& peers = table.device().peers;
  const auto records = table.records();
  for (std::size_t i = 0; i < peers.size(); ++i) {
    PeerRecord& r = records[i];
    if (!r.policy.recovery) continue;
    if (!r.recovery) {
      r.recovery = std::make_unique<endpoint::EndpointManager>(r.policy.recovery->policy,
                                                               r.policy.recovery->hosts);
    }
    const Peer& p = peers[i];
    endpoint::LinkObservation obs;
    obs.health = r.health.state();
    obs.endpoint = p.endpoint;
    obs.last_handshake = p.last_handshake;
    obs.rx_bytes = p.rx_bytes;
    obs.handshake_age = r.health.handshake_age(mono);
    take(PeerRef{interface, p.public_key}, r, r.recovery->observe(obs, mono), wall, out);
  }
}

void Monitor::retire(const PeerRef& ref, PeerRecord& r, MonoTime mono, WallTime wall, Sink out) {
  if (!r.recovery) return;
  // A switch in flight is reported aborted; the record is destroyed next, so the orders of
  // this last step (there should be none) go nowhere.
  RecoveryOrders dropped;
  take(ref, r, r.recovery->remove(mono), wall, {out.events, dropped, out.log});
  r.recovery.reset();
}

void Monitor::take(const PeerRef& ref, PeerRecord& r, endpoint::EndpointStep step, WallTime wall,
                   Sink out) {
  r.recovery_deadline = step.next_deadline;
  // Events first: an endpoint_changed is published before the write it announces.
  for (endpoint::EndpointEvent& ev : step.events) {
    Event e;
    e.timestamp = wall;
    e.interface = ref.interface;
    e.peer = ref.peer;
    e.name = r.policy.name;
    e.status = to_string(r.health.state());
    const std::string who = sanitize_text(ref.interface, 64) + " " +
                            (e.name.empty() ? short_key(ref.peer) : sanitize_text(e.name, 64));
    std::visit(
        [&](auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, endpoint::EndpointChanged>) {
            // The read reports the peer's own moves (Monitor::convert); the manager's copy of a
            // roam is the same change.
            if (v.reason == endpoint::ChangeReason::kRoamed) return;
            ++r.endpoint_changes[static_cast<std::size_t>(v.reason)];
            e.type = EventType::kEndpointChanged;
            e.old_endpoint = v.from;
            e.endpoint = v.to;
            e.reason = endpoint::to_string(v.reason);
            out.events.push_back(std::move(e));
          } else if constexpr (std::is_same_v<T, endpoint::ResolveFailed>) {
            e.type = EventType::kResolveFailed;
            // The resolver's messages usually name the host already.
            e.reason = (v.message.starts_with(v.host) ? v.message : v.host + ": " + v.message) +
                       (v.permanent ? " (permanent)" : "");
            out.events.push_back(std::move(e));
          } else if constexpr (std::is_same_v<T, endpoint::CandidateUnreachable>) {
            e.type = EventType::kCandidateUnreachable;
            e.endpoint = v.address;
            e.reason = v.cause == endpoint::CandidateUnreachable::Cause::kIcmp
                           ? "no ICMP echo reply"
                           : "no handshake and no in-tunnel reply through it";
            out.events.push_back(std::move(e));
          } else if constexpr (std::is_same_v<T, endpoint::SwitchConfirmed>) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(v.after).count();
            out.log.push_back({LogLine::Level::kInfo, who + ": endpoint " + v.endpoint.to_string() +
                                                          " confirmed by " +
                                                          endpoint::to_string(v.via) + " after " +
                                                          std::to_string(ms) + " ms"});
          } else if constexpr (std::is_same_v<T, endpoint::SwitchAborted>) {
            out.log.push_back(
                {LogLine::Level::kWarning,
                 who + ": switch to " + v.target.to_string() + " abandoned: " + v.why});
          }
        },
        ev);
  }
  for (HostPort& h : step.resolve) out.orders.resolves.push_back({ref, std::move(h)});
  if (step.probe) {
    out.orders.probes.push_back({ref, step.probe->round, std::move(step.probe->probes)});
  }
  if (step.write) out.orders.writes.push_back({ref, *step.write});
  if (step.tunnel_probe) {
    // No probe target: a handshake is the only proof; persistent keepalive (or the user's
    // traffic) makes it happen.
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*step.tunnel_probe);
    if (auto order = traffic_probe(ref.interface, ref.peer, timeout)) {
      out.orders.traffic.push_back(std::move(*order));
    }
  }
  if (step.read && std::find(out.orders.reads.begin(), out.orders.reads.end(), ref.interface) ==
                       out.orders.reads.end()) {
    out.orders.reads.push_back(ref.interface);
  }
}

template <typename Fn>
void Monitor::with_managed(const PeerRef& ref, WallTime wall, RecoveryOutput& out, Fn fn) {
  PeerRecord* r = find_mutable(ref.interface, ref.peer);
  if (r == nullptr || !r->recovery) return;  // gone, or no longer managed: dropped
  take(ref, *r, fn(*r->recovery), wall, {out.events, out.orders, out.log});
}

void Monitor::resolved(const PeerRef& peer, const HostPort& host,
                       const endpoint::HostAnswer& answer, MonoTime now, WallTime wall, double u,
                       RecoveryOutput& out) {
  with_managed(peer, wall, out,
               [&](endpoint::EndpointManager& m) { return m.resolved(host, answer, now, u); });
}

void Monitor::probed(const PeerRef& peer, std::uint64_t round,
                     const endpoint::CandidateProbe& result, MonoTime now, WallTime wall,
                     RecoveryOutput& out) {
  with_managed(peer, wall, out, [&](endpoint::EndpointManager& m) {
    return m.probed(round, {&result, 1}, now);
  });
}

void Monitor::write_done(const RecoveryOrders::Write& w, const std::optional<Error>& error,
                         MonoTime now, WallTime wall, RecoveryOutput& out) {
  PeerRecord* r = find_mutable(w.peer.interface, w.peer.peer);
  if (r == nullptr) return;
  if (!error) {
    if (!r->our_write) ++writes_in_flight_;
    r->our_write = w.endpoint;
    return;
  }
  // The manager abandons the switch and tries again after a back-off (kNotFound: the peer is
  // gone, as a removal).
  with_managed(w.peer, wall, out,
               [&](endpoint::EndpointManager& m) { return m.write_failed(*error, now); });
}

void Monitor::probe_answered(const PeerRef& peer, const ProbeSample& sample, MonoTime now,
                             WallTime wall, RecoveryOutput& out) {
  add_probe_result(peer.interface, peer.peer, sample);
  with_managed(peer, wall, out, [&](endpoint::EndpointManager& m) {
    return m.tunnel_probed(sample.sent, sample.ok, now);
  });
}

void Monitor::tick(MonoTime now, WallTime wall, RecoveryOutput& out) {
  if (!recovery_enabled_) return;
  for (auto& [name, table] : tables_) {
    const auto& peers = table.device().peers;
    const auto records = table.records();
    for (std::size_t i = 0; i < peers.size(); ++i) {
      PeerRecord& r = records[i];
      if (!r.recovery || !r.recovery_deadline || *r.recovery_deadline > now) continue;
      take(PeerRef{name, peers[i].public_key}, r, r.recovery->tick(now), wall,
           {out.events, out.orders, out.log});
    }
  }
}

std::optional<MonoTime> Monitor::next_recovery_deadline() const {
  std::optional<MonoTime> best;
  if (!recovery_enabled_) return best;
  for (const auto& [name, table] : tables_) {
    for (const PeerRecord& r : table.records()) {
      if (r.recovery && r.recovery_deadline && (!best || *r.recovery_deadline < *best)) {
        best = r.recovery_deadline;
      }
    }
  }
  return best;
}

std::size_t Monitor::managed_peers() const {
  std::size_t n = 0;
  for (const auto& [name, table] : tables_) {
    n += static_cast<std::size_t>(
        std::count_if(table.records().begin(), table.records().end(),
                      [](const PeerRecord& r) { return r.recovery != nullptr; }));
  }
  return n;
}

}  // namespace wgtrack
