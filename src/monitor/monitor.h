// Monitor: the daemon's brain, pure: it never reads a clock, a socket or a file, so
// whole-daemon stories run on fakes. Each cycle the daemon hands it what it read from WireGuard
// (with the cycle's clocks) and the in-tunnel probe results that came back meanwhile; it
// answers with the events to publish, the probes to send next and the cycle's statistics.
// It owns one PeerRecord per (interface, peer) — health, resolved policy, probe and endpoint
// change counters, state reason — in one PeerTable per interface, for as long as the peer is
// in the latest read.
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
#include "monitor/peer_table.h"

namespace wgtrack {

// One interface as listed this cycle, with the outcome of reading it.
struct InterfaceRead {
  std::string name;
  Result<Device> device;
};

// An in-tunnel probe the daemon should send now.
struct ProbeOrder {
  std::string interface;
  PublicKey peer;
  Endpoint target;  // port 0
  std::chrono::milliseconds timeout;
};

struct CycleOutput {
  std::vector<Event> events;
  std::vector<ProbeOrder> probes;
  CycleStats stats;
  std::vector<std::string> warnings;  // read failures etc., for the daemon's log
};

class Monitor {
 public:
  explicit Monitor(std::shared_ptr<const config::Config> config);
  Monitor(const Monitor&) = delete;  // trackers call back into this object
  Monitor& operator=(const Monitor&) = delete;

  // SIGHUP: new thresholds, names, targets and recovery settings for every peer (resolved once
  // per peer here); states, counters and history are kept.
  void set_config(std::shared_ptr<const config::Config> config);
  const config::Config& config() const { return *config_; }

  // One cycle. `reads` lists every WireGuard interface seen this cycle; a tracked interface
  // missing from it is gone (its peers are reported removed). A failed read keeps the
  // interface's last state (and is a warning), except kNotFound, which means gone.
  // The first cycle reports initial_status for every peer; an interface that appears later
  // reports its peers as peer_added.
  // `probe_round` false: a re-evaluation between regular cycles (e.g. right after a probe
  // was lost): no probes are ordered and ping_interval's cycle count does not advance.
  void run_cycle(std::vector<InterfaceRead> reads, MonoTime mono, WallTime wall, CycleOutput& out,
                 bool probe_round = true);

  // A probe sent by ProbeOrder finished (ok, or lost: timed out / unreachable). Results that
  // say nothing about the peer (we could not send) must not be reported here.
  void add_probe_result(const std::string& interface, const PublicKey& peer,
                        const ProbeSample& sample);

  // An in-tunnel probe to a tracked peer now, outside the probe schedule: endpoint recovery
  // makes traffic after a switch so WireGuard starts a handshake. nullopt when the peer is not
  // tracked, has no endpoint or no probe target (persistent keepalive then does the job).
  std::optional<ProbeOrder> traffic_probe(const std::string& interface, const PublicKey& peer);

  PeerStateCounts counts() const;
  // "2 interfaces, 14 peers: 11 up, 1 idle, 1 down, 1 never" (for sd_notify STATUS).
  std::string status_line() const;
  // The earliest time a verdict could change without new input (read again then).
  std::optional<MonoTime> next_deadline() const;
  // The probe timeout for a probe period (cycle_time x ping_interval): half the period, at
  // most 1 s (the seed's `ping -W 1`), at least 100 ms. Half, so that with cycle_time 1 and
  // ping_failafternum 2 the second lost probe is known 1.5-2.5 s after a black hole (the
  // issue's bound is 3 s) while a slow path still has 500 ms to answer.
  static std::chrono::milliseconds probe_timeout(std::chrono::milliseconds period);

  // Every tracked interface's peers and their records, sorted by interface name.
  const std::map<std::string, PeerTable>& interfaces() const { return tables_; }
  // The record of a peer in the latest read of its interface; nullptr when it is not tracked.
  const PeerRecord* find(const std::string& interface, const PublicKey& peer) const;

  // The friendly name of a tracked peer, "" when none is configured or it is not tracked.
  std::string_view peer_name(const std::string& interface, const PublicKey& key) const;

  // Endpoint recovery wrote `endpoint` for the peer and announced it with its reason: when a
  // read shows it, that change is ours, not the peer roaming (no second event, not counted as
  // roamed). Ignored for a peer that is not tracked.
  void note_write(const std::string& interface, const PublicKey& peer, const Endpoint& endpoint);
  // An endpoint_changed announced by endpoint recovery (reresolve, failover), for the counters.
  void count_endpoint_change(const std::string& interface, const PublicKey& peer,
                             endpoint::ChangeReason reason);

 private:
  PeerRecord* find_mutable(const std::string& interface, const PublicKey& peer);
  void convert(const std::string& interface, PeerTable& table,
               const std::vector<TrackerEvent>& in, WallTime wall, CycleOutput& out);
  void initial_events(const std::string& interface, PeerTable& table, EventType type,
                      WallTime wall, CycleOutput& out);
  void schedule_probes(const std::string& interface, PeerTable& table, CycleOutput& out);
  void settle_writes(PeerTable& table);
  void remove_interface(const std::string& interface, WallTime wall, CycleOutput& out);
  Event base_event(EventType type, const std::string& interface, const Peer& peer,
                   WallTime wall) const;

  std::shared_ptr<const config::Config> config_;
  std::map<std::string, PeerTable> tables_;
  std::vector<TrackerEvent> scratch_;
  std::size_t writes_in_flight_ = 0;  // records with our_write set
  std::uint64_t cycle_ = 0;  // probe rounds so far
  bool started_ = false;
};

}  // namespace wgtrack
