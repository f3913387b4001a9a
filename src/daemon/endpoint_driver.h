// EndpointDriver: the edge of endpoint recovery. After every cycle it hands each
// peer's read and verdict to the pure EndpointRecovery and carries out what it decides, on the
// daemon's loop:
//   resolve   through the Resolver (c-ares), one lookup per host name however many peers ask;
//   probe     routed ICMP echoes to candidate addresses (Prober with interface "": outside the
//             tunnel), started at the staggered times RFC 8305 asks for, all in parallel;
//   write     the peer's public key + endpoint with update-only (ARCHITECTURE rule 6), then an
//             in-tunnel probe so WireGuard starts a handshake that confirms the switch;
//   events    endpoint_changed (reason reresolve / failover), resolve_failed,
//             candidate_unreachable — in the cycle's output, or through `publish` when they
//             happen between cycles. Confirmations and aborts go to the log.
// Which peers are managed, and how, is in each peer's record (the Monitor resolved it with the
// rest of its policy); a write is noted in the record, so the Monitor does not report the
// change it causes as the peer roaming.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "endpoint/endpoint_recovery.h"
#include "monitor/monitor.h"
#include "monitor/peer_policy.h"
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

struct RecoveryStats {
  std::uint64_t writes = 0;
  std::uint64_t write_errors = 0;
  std::uint64_t resolutions = 0;
  std::uint64_t resolve_errors = 0;
  std::uint64_t candidate_probes = 0;
};

class EndpointDriver {
 public:
  struct Deps {
    boost::asio::io_context& io;
    WireGuardBackend& backend;
    Prober& prober;
    Resolver& resolver;
    const Clock& clock;
    spdlog::logger& log;
    Monitor& monitor;
    // Events that happen between cycles (answers, probe results, timers).
    std::function<void(std::vector<Event>)> publish;
  };

  EndpointDriver(Deps deps, std::shared_ptr<const config::Config> config);
  ~EndpointDriver();
  EndpointDriver(const EndpointDriver&) = delete;
  EndpointDriver& operator=(const EndpointDriver&) = delete;

  void set_config(std::shared_ptr<const config::Config> config);  // SIGHUP
  // Right after Monitor::run_cycle, before `out` is published.
  void after_cycle(MonoTime mono, CycleOutput& out);
  void stop();

  const endpoint::EndpointRecovery& recovery() const { return recovery_; }
  const RecoveryStats& stats() const { return stats_; }

 private:
  struct Impl;

  void execute(endpoint::RecoveryActions& actions, std::vector<Event>& events);
  void run_and_publish(endpoint::RecoveryActions& actions);
  void resolve(const endpoint::RecoveryActions::Resolve& r);
  void start_probe(const endpoint::PeerRef& peer, std::uint64_t round, const Endpoint& address);
  void write(const endpoint::RecoveryActions::Write& w, std::vector<Event>& events);
  void make_traffic(const endpoint::PeerRef& peer);
  void convert(const endpoint::RecoveryActions::Tagged& t, std::vector<Event>& events);
  void arm_timer();
  double draw();

  Deps deps_;
  std::shared_ptr<const config::Config> config_;
  bool enabled_ = false;
  endpoint::EndpointRecovery recovery_;
  std::map<std::string, std::vector<std::pair<endpoint::PeerRef, HostPort>>> lookups_;
  std::mt19937_64 rng_;
  RecoveryStats stats_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // reset by stop()
};

}  // namespace wgtrack
