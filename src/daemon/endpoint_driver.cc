#include "daemon/endpoint_driver.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "endpoint/candidates.h"

namespace wgtrack {
namespace {

using endpoint::PeerRef;
using std::chrono::milliseconds;

// One echo per candidate; the manager decides a round when every candidate answered or its
// probe_timeout (2 s after the last staggered start) passed, so the echo gives up a bit before.
constexpr milliseconds kCandidateEchoTimeout{1500};

std::string short_key(const PublicKey& k) { return k.to_base64().substr(0, 8) + "…"; }

}  // namespace

struct EndpointDriver::Impl {
  explicit Impl(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
};

EndpointDriver::EndpointDriver(Deps deps, std::shared_ptr<const config::Config> config)
    : deps_(std::move(deps)),
      recovery_(nullptr),
      rng_(std::random_device{}()),
      impl_(std::make_unique<Impl>(deps_.io)) {
  set_config(std::move(config));
}

EndpointDriver::~EndpointDriver() = default;

void EndpointDriver::set_config(std::shared_ptr<const config::Config> config) {
  config_ = std::move(config);
  enabled_ = recovery_configured(*config_);
  // The Monitor resolved every peer's recovery settings with the rest of its policy (it took
  // the new configuration first).
  const Monitor& monitor = deps_.monitor;
  recovery_.reload([&monitor](const PeerRef& p) -> std::optional<endpoint::PeerSetup> {
    const PeerRecord* r = monitor.find(p.interface, p.peer);
    return r != nullptr ? r->policy.recovery : std::nullopt;
  });
}

void EndpointDriver::stop() {
  alive_.reset();  // answers and timers still in flight find nothing to call back into
  impl_->timer.cancel();
}

void EndpointDriver::after_cycle(MonoTime mono, CycleOutput& out) {
  if (!alive_ || (!enabled_ && recovery_.managed() == 0)) return;

  endpoint::RecoveryActions actions;
  recovery_.begin_cycle();
  if (enabled_) {
    for (const auto& [name, table] : deps_.monitor.interfaces()) {
      const auto& peers = table.device().peers;
      const auto records = table.records();
      for (std::size_t i = 0; i < peers.size(); ++i) {
        const PeerRecord& r = records[i];
        if (!r.policy.recovery) continue;
        const Peer& p = peers[i];
        endpoint::LinkObservation obs;
        obs.health = r.health.state();
        obs.endpoint = p.endpoint;
        obs.last_handshake = p.last_handshake;
        obs.rx_bytes = p.rx_bytes;
        obs.handshake_age = r.health.handshake_age(mono);
        recovery_.observe(PeerRef{name, p.public_key}, obs, mono, actions);
      }
    }
  }
  recovery_.end_cycle(mono, actions);
  execute(actions, out.events);
}

void EndpointDriver::run_and_publish(endpoint::RecoveryActions& actions) {
  std::vector<Event> events;
  execute(actions, events);
  if (!events.empty() && deps_.publish) deps_.publish(std::move(events));
}

void EndpointDriver::execute(endpoint::RecoveryActions& actions, std::vector<Event>& events) {
  // Events first: an endpoint_changed is published before the write it announces.
  for (const auto& t : actions.events) convert(t, events);
  for (const auto& r : actions.resolves) resolve(r);
  for (const auto& p : actions.probes) {
    for (const endpoint::ProbeStart& s : p.probes) {
      const MonoTime now = deps_.clock.mono_now();
      if (s.start <= now) {
        start_probe(p.peer, p.round, s.address);
        continue;
      }
      auto timer = std::make_shared<boost::asio::steady_timer>(deps_.io, s.start - now);
      std::weak_ptr<bool> alive = alive_;
      timer->async_wait([this, alive, timer, peer = p.peer, round = p.round,
                         address = s.address](const boost::system::error_code& ec) {
        if (!ec && !alive.expired()) start_probe(peer, round, address);
      });
    }
  }
  for (const auto& w : actions.writes) write(w, events);
  for (const PeerRef& p : actions.make_traffic) make_traffic(p);
  arm_timer();
}

void EndpointDriver::resolve(const endpoint::RecoveryActions::Resolve& r) {
  auto& waiting = lookups_[r.host.host()];
  const bool start = waiting.empty();
  waiting.emplace_back(r.peer, r.host);
  if (!start) return;  // the lookup already running answers this peer too
  ++stats_.resolutions;
  std::weak_ptr<bool> alive = alive_;
  deps_.resolver.resolve(r.host.host(),
                         [this, alive, host = r.host.host()](endpoint::HostAnswer answer) {
                           if (alive.expired()) return;
                           auto node = lookups_.extract(host);
                           if (node.empty()) return;
                           if (!answer) ++stats_.resolve_errors;
                           const MonoTime now = deps_.clock.mono_now();
                           endpoint::RecoveryActions actions;
                           for (const auto& [peer, hp] : node.mapped()) {
                             recovery_.resolved(peer, hp, answer, now, draw(), actions);
                           }
                           run_and_publish(actions);
                         });
}

void EndpointDriver::start_probe(const PeerRef& peer, std::uint64_t round,
                                 const Endpoint& address) {
  ++stats_.candidate_probes;
  std::weak_ptr<bool> alive = alive_;
  deps_.prober.probe({"", address, kCandidateEchoTimeout}, [this, alive, peer, round,
                                                            address](const ProbeResult& r) {
    if (alive.expired()) return;
    if (!r.ok && !r.lost() && r.error) {
      // We could not probe (no CAP_NET_RAW, no ping sockets): the candidate counts as
      // silent, which `probe = handshake` still tries for real.
      deps_.log.warn("cannot probe endpoint candidate {}: {}", address.to_string(),
                     r.error->message);
    }
    endpoint::RecoveryActions actions;
    recovery_.probed(peer, round, {address, r.ok}, deps_.clock.mono_now(), actions);
    run_and_publish(actions);
  });
}

void EndpointDriver::write(const endpoint::RecoveryActions::Write& w, std::vector<Event>& events) {
  // Update-only: the public key and the endpoint, nothing else (rule 6); a peer removed
  // meanwhile is not re-created (backend.h).
  auto r = deps_.backend.update_peer_endpoint(w.peer.interface, {w.peer.peer, w.endpoint});
  if (r) {
    ++stats_.writes;
    deps_.monitor.note_write(w.peer.interface, w.peer.peer, w.endpoint);
    deps_.log.info("{} {}: endpoint set to {}", w.peer.interface, short_key(w.peer.peer),
                   w.endpoint.to_string());
    return;
  }
  ++stats_.write_errors;
  deps_.log.warn("{} {}: cannot set endpoint {}: {}", w.peer.interface, short_key(w.peer.peer),
                 w.endpoint.to_string(), r.error().message);
  // The manager moves on to its next candidate (or gives up): carry that out too. Bounded:
  // every failure uses up one candidate of the round.
  endpoint::RecoveryActions next;
  recovery_.write_failed(w.peer, r.error(), deps_.clock.mono_now(), next);
  execute(next, events);
}

void EndpointDriver::make_traffic(const PeerRef& peer) {
  auto order = deps_.monitor.traffic_probe(peer.interface, peer.peer);
  if (!order) return;  // no probe target: persistent keepalive (or real traffic) will do it
  deps_.prober.probe({order->interface, order->target, order->timeout}, [](const ProbeResult&) {
    // Only the packet matters: WireGuard starts a handshake for it. The
    // confirmation is read from the device (handshake or rx).
  });
}

void EndpointDriver::convert(const endpoint::RecoveryActions::Tagged& t,
                             std::vector<Event>& events) {
  Event e;
  e.timestamp = deps_.clock.wall_now();
  e.interface = t.peer.interface;
  e.peer = t.peer.peer;
  const PeerRecord* record = deps_.monitor.find(t.peer.interface, t.peer.peer);
  if (record != nullptr) {
    e.name = record->policy.name;
    e.status = to_string(record->health.state());
  }
  const std::string who = t.peer.interface + " " + (e.name.empty() ? short_key(e.peer) : e.name);
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, endpoint::EndpointChanged>) {
          if (ev.reason == endpoint::ChangeReason::kRoamed) return;  // the Monitor reports roams
          deps_.monitor.count_endpoint_change(t.peer.interface, t.peer.peer, ev.reason);
          e.type = EventType::kEndpointChanged;
          e.old_endpoint = ev.from;
          e.endpoint = ev.to;
          e.reason = endpoint::to_string(ev.reason);
          events.push_back(std::move(e));
        } else if constexpr (std::is_same_v<T, endpoint::ResolveFailed>) {
          e.type = EventType::kResolveFailed;
          // The resolver's messages usually name the host already.
          e.reason = (ev.message.starts_with(ev.host) ? ev.message : ev.host + ": " + ev.message) +
                     (ev.permanent ? " (permanent)" : "");
          events.push_back(std::move(e));
        } else if constexpr (std::is_same_v<T, endpoint::CandidateUnreachable>) {
          e.type = EventType::kCandidateUnreachable;
          e.endpoint = ev.address;
          e.reason = ev.cause == endpoint::CandidateUnreachable::Cause::kIcmp
                         ? "no ICMP echo reply"
                         : "no handshake or data after switching to it";
          events.push_back(std::move(e));
        } else if constexpr (std::is_same_v<T, endpoint::SwitchConfirmed>) {
          deps_.log.info("{}: endpoint {} confirmed by {} after {} ms", who,
                         ev.endpoint.to_string(), endpoint::to_string(ev.via),
                         std::chrono::duration_cast<milliseconds>(ev.after).count());
        } else if constexpr (std::is_same_v<T, endpoint::SwitchAborted>) {
          deps_.log.warn("{}: switch to {} abandoned: {}", who, ev.target.to_string(), ev.why);
        }
      },
      t.event);
}

void EndpointDriver::arm_timer() {
  if (!alive_) return;
  const auto next = recovery_.next_deadline();
  impl_->timer.cancel();
  if (!next) return;
  const MonoTime now = deps_.clock.mono_now();
  impl_->timer.expires_after(*next > now ? *next - now : std::chrono::nanoseconds(0));
  std::weak_ptr<bool> alive = alive_;
  impl_->timer.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    endpoint::RecoveryActions actions;
    recovery_.tick(deps_.clock.mono_now(), actions);
    run_and_publish(actions);
  });
}

double EndpointDriver::draw() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

}  // namespace wgtrack
