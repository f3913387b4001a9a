// Monitor: the daemon's brain, pure: it never reads a clock, a socket or a file, so
// whole-daemon stories run on fakes. Each cycle the daemon hands it what it read from WireGuard
// (with the cycle's clocks) and the in-tunnel probe results that came back meanwhile; it
// answers with the events to publish, the probes to send next and the cycle's statistics.
// It owns one PeerRecord per (interface, peer) — health, resolved policy, probe and endpoint
// change counters, state reason, endpoint recovery — in one PeerTable per interface, for as
// long as the peer is in the latest read. Endpoint recovery's orders (resolve, probe a
// candidate, write, make traffic) go out with the cycle; their answers come back through
// resolved() / probed() / write_done() / tick(), each returning what it leads to.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/result.h"
#include "events/event.h"
#include "events/stats_summary.h"
#include "endpoint/endpoint_types.h"
#include "monitor/orders.h"
#include "monitor/peer_table.h"

namespace wgtrack {

// One interface as listed this cycle, with the outcome of reading it.
struct InterfaceRead {
  std::string name;
  Result<Device> device;
};

struct CycleOutput {
  std::vector<Event> events;
  std::vector<ProbeOrder> probes;
  RecoveryOrders recovery;  // endpoint recovery's orders
  CycleStats stats;
  std::vector<std::string> warnings;  // read failures etc., for the daemon's log
  std::vector<LogLine> log;           // endpoint recovery's notes (confirmed, abandoned)
};

class Monitor {
 public:
  explicit Monitor(std::shared_ptr<const config::Config> config);
  Monitor(const Monitor&) = delete;  // its tables call back into it for policies
  Monitor& operator=(const Monitor&) = delete;

  // SIGHUP: new thresholds, names, targets and recovery settings for every peer (resolved once
  // per peer here); states, counters and history are kept. A managed peer whose candidate hosts
  // did not change keeps its recovery state with the new policy; new hosts start it afresh; a
  // peer no longer managed drops it.
  void set_config(std::shared_ptr<const config::Config> config);
  const config::Config& config() const { return *config_; }

  // One cycle. `reads` lists every WireGuard interface seen this cycle; a tracked interface
  // missing from it is gone (its peers are reported removed). A failed read keeps the
  // interface's last state (and is a warning), except kNotFound, which means gone.
  // The first cycle reports initial_status for every peer; an interface that appears later
  // reports its peers as peer_added.
  // `probe_round` false: a read between regular cycles (a watch_interval read, a deadline,
  // right after a lost probe): ping_interval's cycle count does not advance, and only the
  // watch probes are ordered (peers whose endpoint is recovered, each at most once per
  // watch_interval).
  void run_cycle(std::vector<InterfaceRead> reads, MonoTime mono, WallTime wall, CycleOutput& out,
                 bool probe_round = true);

  // A probe sent by ProbeOrder finished (ok, or lost: timed out / unreachable). Results that
  // say nothing about the peer (we could not send) must not be reported here.
  void add_probe_result(const std::string& interface, const PublicKey& peer,
                        const ProbeSample& sample);

  // An in-tunnel probe to a tracked peer now, outside the probe schedule, timing out after
  // `timeout`: endpoint recovery's proof through a new endpoint (its packet also makes
  // WireGuard start a handshake when one is due). Counted as sent. nullopt when the peer is
  // not tracked or has no probe target (persistent keepalive and the user's
  // traffic then make the handshake happen).
  std::optional<ProbeOrder> traffic_probe(const std::string& interface, const PublicKey& peer,
                                          std::chrono::milliseconds timeout);

  PeerStateCounts counts() const;
  // "2 interfaces, 14 peers: 11 up, 1 idle, 1 down, 1 never" (for sd_notify STATUS).
  std::string status_line() const;
  // The earliest time a verdict could change without new input (read again then).
  std::optional<MonoTime> next_deadline() const;
  // The probe timeout for a probe period (cycle_time x ping_interval): half the period, at
  // most 1 s (towalink/wgtrack's `ping -W 1`), at least 100 ms. Half, so that with cycle_time 1 and
  // ping_failafternum 2 the second lost probe is known 1.5-2.5 s after a black hole (the
  // detection target is 3 s: docs/architecture.md, Targets) while a slow path still has 500 ms
  // to answer.
  static std::chrono::milliseconds probe_timeout(std::chrono::milliseconds period);

  // Every tracked interface's peers and their records, sorted by interface name.
  const std::map<std::string, PeerTable>& interfaces() const { return tables_; }
  // The record of a peer in the latest read of its interface; nullptr when it is not tracked.
  const PeerRecord* find(const std::string& interface, const PublicKey& peer) const;

  // The friendly name of a tracked peer, "" when none is configured or it is not tracked.
  std::string_view peer_name(const std::string& interface, const PublicKey& key) const;

  // Endpoint recovery. Every cycle a managed peer's record (policy.recovery) observes the read
  // and its verdict; what it decides comes back as events, CycleOutput::recovery orders and log
  // lines. The answers to those orders come back here, each with what it leads to. An answer
  // for a peer that is gone (or no longer managed) is dropped: nothing is ever written for a
  // removed peer again.
  void resolved(const PeerRef& peer, const HostPort& host, const endpoint::HostAnswer& answer,
                MonoTime now, WallTime wall, double u, RecoveryOutput& out);
  void probed(const PeerRef& peer, std::uint64_t round, const endpoint::CandidateProbe& result,
              MonoTime now, WallTime wall, RecoveryOutput& out);
  // The write ordered by `w` finished; `error` nullopt: written. A written endpoint that the
  // next read shows is ours, not the peer roaming (no second event, not counted as roamed).
  void write_done(const RecoveryOrders::Write& w, const std::optional<Error>& error, MonoTime now,
                  WallTime wall, RecoveryOutput& out);
  // Any in-tunnel probe of the peer finished (a ProbeOrder of the cycle or of
  // RecoveryOrders::traffic): add_probe_result, and for a managed peer the manager's verdict
  // on the endpoint it is confirming.
  void probe_answered(const PeerRef& peer, const ProbeSample& sample, MonoTime now, WallTime wall,
                      RecoveryOutput& out);
  // Every recovery timer due at `now`.
  void tick(MonoTime now, WallTime wall, RecoveryOutput& out);
  // When tick() is due next; nullopt: no timer.
  std::optional<MonoTime> next_recovery_deadline() const;
  // Peers whose endpoint is recovered (for status and tests).
  std::size_t managed_peers() const;
  // Without anyone to carry recovery's orders out (no resolver), recovery is off whatever the
  // configuration says. On by default.
  void allow_recovery(bool allowed);

 private:
  struct Sink {  // where recovery's events, orders and log lines go
    std::vector<Event>& events;
    RecoveryOrders& orders;
    std::vector<LogLine>& log;
  };
  void observe_recovery(const std::string& interface, PeerTable& table, MonoTime mono,
                        WallTime wall, Sink out);
  void retire(const PeerRef& ref, PeerRecord& record, MonoTime mono, WallTime wall, Sink out);
  void take(const PeerRef& ref, PeerRecord& record, endpoint::EndpointStep step, WallTime wall,
            Sink out);
  void refresh_recovery(PeerRecord& record, bool enabled);
  template <typename Fn>
  void with_managed(const PeerRef& ref, WallTime wall, RecoveryOutput& out, Fn fn);
  PeerRecord* find_mutable(const std::string& interface, const PublicKey& peer);
  void convert(const std::string& interface, PeerTable& table,
               const std::vector<TrackerEvent>& in, WallTime wall, CycleOutput& out);
  void initial_events(const std::string& interface, PeerTable& table, EventType type,
                      WallTime wall, CycleOutput& out);
  void schedule_probes(const std::string& interface, PeerTable& table, MonoTime mono,
                       bool probe_round, CycleOutput& out);
  void settle_writes(PeerTable& table);
  void remove_interface(const std::string& interface, MonoTime mono, WallTime wall,
                        CycleOutput& out);
  Event base_event(EventType type, const std::string& interface, const Peer& peer,
                   WallTime wall) const;

  std::shared_ptr<const config::Config> config_;
  std::map<std::string, PeerTable> tables_;
  std::vector<TrackerEvent> scratch_;
  std::size_t writes_in_flight_ = 0;  // records with our_write set
  bool recovery_allowed_ = true;
  bool recovery_enabled_ = false;     // allowed, and some peer of the configuration could be managed
  std::vector<RemovedPeer> removed_;  // scratch: records of peers the last read removed
  std::uint64_t cycle_ = 0;  // probe rounds so far
  bool started_ = false;
};

}  // namespace wgtrack
