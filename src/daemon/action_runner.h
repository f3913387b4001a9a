// ActionRunner: the edge of endpoint recovery. It carries out the Monitor's recovery orders on
// the daemon's loop and hands every answer back to the Monitor; it decides nothing:
//   resolve   through the Resolver (c-ares), one lookup per host name however many peers ask;
//   probe     routed ICMP echoes to candidate addresses (Prober with interface "": outside the
//             tunnel), started at the staggered times RFC 8305 asks for, all in parallel;
//   write     the peer's public key + endpoint with update-only (the WireGuardBackend write
//             type can express nothing else);
//   traffic   in-tunnel probes through an endpoint being confirmed (their packet also makes
//             WireGuard start a handshake when one is due), answered back like health probes;
//   read      an early read of the interfaces, through `read`;
//   timer     one, at Monitor::next_recovery_deadline().
// Events and log lines the answers lead to go out through `publish` and the logger.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "monitor/monitor.h"
#include "probe/prober.h"
#include "resolver/resolver.h"
#include "wireguard/backend.h"

namespace boost::asio {
class io_context;
}
namespace spdlog {
class logger;
}

namespace wgtrack {

// What the runner did (its own I/O; the decisions' counters are in the peer records).
struct RecoveryStats {
  std::uint64_t writes = 0;
  std::uint64_t write_errors = 0;
  std::uint64_t resolutions = 0;
  std::uint64_t resolve_errors = 0;
  std::uint64_t candidate_probes = 0;
};

class ActionRunner {
 public:
  struct Deps {
    boost::asio::io_context& io;
    WireGuardBackend& backend;
    Prober& prober;
    Resolver& resolver;
    const Clock& clock;
    spdlog::logger& log;
    Monitor& monitor;
    // Events that answers between cycles lead to.
    std::function<void(std::vector<Event>)> publish;
    // Read the WireGuard interfaces now (an early cycle), for a RecoveryOrders::reads order.
    std::function<void()> read;
  };

  explicit ActionRunner(Deps deps);
  ~ActionRunner();
  ActionRunner(const ActionRunner&) = delete;
  ActionRunner& operator=(const ActionRunner&) = delete;

  // Right after Monitor::run_cycle, before `out` is published: carries out out.recovery and
  // writes out.log; events of failed writes (the next candidate) are appended to out.events.
  void after_cycle(CycleOutput& out);
  void stop();
  // An in-tunnel probe of a peer finished (health probes of the cycle go through here too, so
  // a reply through an endpoint being confirmed settles it at once).
  void probe_answered(const PeerRef& peer, const ProbeSample& sample);

  const RecoveryStats& stats() const { return stats_; }

 private:
  struct Impl;

  void execute(RecoveryOrders& orders, std::vector<Event>& events);
  void carry_out(RecoveryOutput& out);  // what an answer led to: orders run, events published
  void log_lines(const std::vector<LogLine>& lines);
  void resolve(const RecoveryOrders::Resolve& r);
  void start_probe(const PeerRef& peer, std::uint64_t round, const Endpoint& address);
  void write(const RecoveryOrders::Write& w, std::vector<Event>& events);
  void arm_timer();
  double draw();

  Deps deps_;
  std::map<std::string, std::vector<std::pair<PeerRef, HostPort>>> lookups_;  // by host name
  std::mt19937_64 rng_;
  RecoveryStats stats_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // reset by stop()
};

}  // namespace wgtrack
