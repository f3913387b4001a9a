#include "daemon/action_runner.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "events/sink_text.h"

namespace wgtrack {
namespace {

using std::chrono::milliseconds;

// One echo per candidate; the manager decides a round when every candidate answered or its
// probe_timeout (2 s after the last staggered start) passed, so the echo gives up a bit before.
constexpr milliseconds kCandidateEchoTimeout{1500};

}  // namespace

struct ActionRunner::Impl {
  explicit Impl(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
};

ActionRunner::ActionRunner(Deps deps)
    : deps_(std::move(deps)),
      rng_(std::random_device{}()),
      impl_(std::make_unique<Impl>(deps_.io)) {}

ActionRunner::~ActionRunner() = default;

void ActionRunner::stop() {
  alive_.reset();  // answers and timers still in flight find nothing to call back into
  impl_->timer.cancel();
}

void ActionRunner::after_cycle(CycleOutput& out) {
  if (!alive_) return;
  log_lines(out.log);
  out.log.clear();
  execute(out.recovery, out.events);
}

void ActionRunner::carry_out(RecoveryOutput& out) {
  log_lines(out.log);
  execute(out.orders, out.events);
  if (!out.events.empty() && deps_.publish) deps_.publish(std::move(out.events));
}

void ActionRunner::log_lines(const std::vector<LogLine>& lines) {
  for (const LogLine& l : lines) {
    if (l.level == LogLine::Level::kWarning)
      deps_.log.warn("{}", l.text);
    else
      deps_.log.info("{}", l.text);
  }
}

void ActionRunner::execute(RecoveryOrders& orders, std::vector<Event>& events) {
  for (const auto& r : orders.resolves) resolve(r);
  for (const auto& p : orders.probes) {
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
  for (const auto& w : orders.writes) write(w, events);
  for (const ProbeOrder& o : orders.traffic) {
    const MonoTime sent = deps_.clock.mono_now();
    std::weak_ptr<bool> alive = alive_;
    deps_.prober.probe(
        {o.interface, o.target, o.timeout},
        [this, alive, sent, peer = PeerRef{o.interface, o.peer}](const ProbeResult& r) {
          if (alive.expired()) return;
          if (!r.ok && !r.lost()) return;  // we could not probe: says nothing
          probe_answered(peer, ProbeSample{sent, r.ok, r.ok ? std::optional(r.rtt) : std::nullopt});
        });
  }
  if (!orders.reads.empty() && deps_.read) deps_.read();
  orders = {};
  arm_timer();
}

void ActionRunner::resolve(const RecoveryOrders::Resolve& r) {
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
                           const WallTime wall = deps_.clock.wall_now();
                           RecoveryOutput out;
                           for (const auto& [peer, hp] : node.mapped()) {
                             deps_.monitor.resolved(peer, hp, answer, now, wall, draw(), out);
                           }
                           carry_out(out);
                         });
}

void ActionRunner::probe_answered(const PeerRef& peer, const ProbeSample& sample) {
  if (!alive_) return;
  RecoveryOutput out;
  deps_.monitor.probe_answered(peer, sample, deps_.clock.mono_now(), deps_.clock.wall_now(), out);
  carry_out(out);
}

void ActionRunner::start_probe(const PeerRef& peer, std::uint64_t round, const Endpoint& address) {
  ++stats_.candidate_probes;
  std::weak_ptr<bool> alive = alive_;
  deps_.prober.probe({"", address, kCandidateEchoTimeout},
                     [this, alive, peer, round, address](const ProbeResult& r) {
                       if (alive.expired()) return;
                       if (!r.ok && !r.lost() && r.error) {
                         // We could not probe (no CAP_NET_RAW, no ping sockets): the candidate
                         // counts as silent, which `probe = handshake` still tries for real.
                         deps_.log.warn("cannot probe endpoint candidate {}: {}",
                                        address.to_string(), r.error->message);
                       }
                       RecoveryOutput out;
                       deps_.monitor.probed(peer, round, {address, r.ok}, deps_.clock.mono_now(),
                                            deps_.clock.wall_now(), out);
                       carry_out(out);
                     });
}

void ActionRunner::write(const RecoveryOrders::Write& w, std::vector<Event>& events) {
  // Update-only: the public key and the endpoint, nothing else; a peer removed meanwhile is
  // not re-created (backend.h).
  auto r = deps_.backend.update_peer_endpoint(w.peer.interface, {w.peer.peer, w.endpoint});
  RecoveryOutput next;
  if (r) {
    ++stats_.writes;
    deps_.log.info("{} {}: endpoint set to {}", sanitize_text(w.peer.interface, 64),
                   short_key(w.peer.peer), w.endpoint.to_string());
    deps_.monitor.write_done(w, std::nullopt, deps_.clock.mono_now(), deps_.clock.wall_now(), next);
    return;
  }
  ++stats_.write_errors;
  deps_.log.warn("{} {}: cannot set endpoint {}: {}", sanitize_text(w.peer.interface, 64),
                 short_key(w.peer.peer), w.endpoint.to_string(), r.error().message);
  deps_.monitor.write_done(w, r.error(), deps_.clock.mono_now(), deps_.clock.wall_now(), next);
  // What the failure leads to (the switch abandoned, a retry later) joins this batch.
  log_lines(next.log);
  for (Event& e : next.events) events.push_back(std::move(e));
  execute(next.orders, events);
}

void ActionRunner::arm_timer() {
  if (!alive_) return;
  const auto next = deps_.monitor.next_recovery_deadline();
  impl_->timer.cancel();
  if (!next) return;
  const MonoTime now = deps_.clock.mono_now();
  impl_->timer.expires_after(*next > now ? *next - now : std::chrono::nanoseconds(0));
  std::weak_ptr<bool> alive = alive_;
  impl_->timer.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    RecoveryOutput out;
    deps_.monitor.tick(deps_.clock.mono_now(), deps_.clock.wall_now(), out);
    carry_out(out);
  });
}

double ActionRunner::draw() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

}  // namespace wgtrack
