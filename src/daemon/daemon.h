// Daemon: the edge that runs wgtrack's main job on one single-threaded asio loop. It only moves
// data and keeps time (docs/architecture.md, the one picture: sources -> pure decisions -> sinks):
//   every cycle_time: list + read every WireGuard interface -> Monitor -> events to the sinks,
//   probe orders to the Prober; probe results back to the Monitor; a lost probe triggers an
//   early re-evaluation (so detection is not a whole cycle late);
//   SIGHUP: reload wgtrack.conf + wg-quick files; an invalid config is rejected with its
//   diagnostics and the old one stays; outputs reopen (logrotate);
//   SIGTERM/SIGINT: stop after flushing the sinks;
//   sd_notify READY after the first cycle, STATUS every cycle, WATCHDOG on its own timer.
// Reads are synchronous but bounded by the backends' timeouts (2 s per interface).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/clock.h"
#include "daemon/action_runner.h"
#include "daemon/notifier.h"
#include "daemon/outputs.h"
#include "events/event_sink.h"
#include "events/stats_summary.h"
#include "monitor/monitor.h"
#include "probe/prober.h"
#include "http_client/http_client.h"
#include "sinks/influx/influx_file_writer.h"
#include "sinks/influx/influx_http_sink.h"
#include "snapshot/self_metrics.h"
#include "snapshot/snapshot.h"
#include "sinks/history/history_sink.h"
#include "sinks/json/event_ring.h"
#include "wireguard/backend.h"

namespace boost::asio {
class io_context;
}
namespace spdlog {
class logger;
}

namespace wgtrack {

class Daemon {
 public:
  struct Deps {
    boost::asio::io_context& io;
    WireGuardBackend& backend;
    Prober& prober;
    const Clock& clock;
    Notifier& notifier;
    spdlog::logger& log;
    // Reads and validates the configuration (wgtrack.conf and the wg-quick files).
    std::function<config::ConfigResult()> load_config;
    // Endpoint recovery resolves host names through this; nullptr: no endpoint recovery.
    Resolver* resolver = nullptr;
    // The SQLite history (outlives the daemon; fed events and each cycle's counters); nullptr:
    // none.
    HistorySink* history = nullptr;
  };

  // `initial` must be ok(). Sinks are built here; one that fails is logged and left out.
  Daemon(Deps deps, config::ConfigResult initial);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Installs the signal handlers and schedules the first cycle now; the caller runs io.
  void start();
  // Stops timers and signals, flushes the sinks; io.run() returns once nothing is pending.
  void stop();
  // SIGHUP's work (public for tests): true if the new configuration was taken.
  bool reload();
  // A regular cycle now, off the timer's grid (tests drive the daemon on a fake clock).
  void cycle_now() { cycle(/*probe_round=*/true); }

  const Monitor& monitor() const { return monitor_; }
  // The state after the last cycle that changed it (regular, or an early re-evaluation that
  // changed a peer's state; with rates and endpoint recovery), for the HTTP server; null
  // before the first cycle. Immutable: hand it to slow clients freely.
  std::shared_ptr<const Snapshot> latest_snapshot() const { return latest_; }
  // The recent events the API serves (kept across reloads).
  const EventRing& event_ring() const { return *ring_; }
  const SelfMetrics& self_metrics() const { return self_metrics_; }
  std::uint64_t cycles() const { return cycles_; }
  // nullptr without a resolver.
  const ActionRunner* runner() const { return runner_.get(); }

 private:
  struct Timers;

  void on_signal(int sig);
  void cycle(bool probe_round);
  void send_probes(const std::vector<ProbeOrder>& orders);
  void request_early_cycle();
  void arm_early(MonoTime at);
  void arm_regular(MonoTime at);
  // After every cycle: the next regular one (after a regular cycle) and an early read for the
  // Monitor's next deadline.
  void schedule_next(bool probe_round);
  void publish(const CycleOutput& out);
  void publish_between_cycles(std::vector<Event> events);
  // `regular`: a regular cycle's (rates, history and Influx points); else a state change
  // between cycles.
  void refresh_snapshot(MonoTime mono, WallTime wall, bool regular);
  void apply_outputs(const config::Config& cfg, bool rebuild);
  void log_diagnostics(const std::vector<config::Diagnostic>& diagnostics);

  Deps deps_;
  std::shared_ptr<const config::Config> config_;
  Monitor monitor_;
  // HTTP clients of the webhook and influx_http outputs: declared before (so destroyed after)
  // the sinks that use them.
  std::vector<std::unique_ptr<HttpClient>> http_clients_;
  std::unique_ptr<EventBus> bus_;
  std::vector<OutputSpec> output_specs_;
  struct StateOutput {
    InfluxFileSpec spec;
    std::unique_ptr<InfluxFileWriter> writer;
  };
  std::vector<StateOutput> state_outputs_;
  std::vector<std::unique_ptr<InfluxHttpSink>> influx_http_;
  std::shared_ptr<const Snapshot> latest_;
  std::unique_ptr<EventRing> ring_;
  SelfMetrics self_metrics_;
  StatsSummary stats_;
  std::unique_ptr<ActionRunner> runner_;
  std::unique_ptr<Timers> timers_;
  std::shared_ptr<std::function<void()>> watchdog_tick_;
  std::optional<MonoTime> next_regular_;  // the grid of regular cycles
  MonoTime last_cycle_{};
  std::uint64_t cycles_ = 0;
  std::uint64_t probe_errors_ = 0;
  bool ready_sent_ = false;
  bool stopping_ = false;
};

}  // namespace wgtrack
