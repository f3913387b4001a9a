#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>

#include "daemon/config_check.h"
#include "daemon/cycle_plan.h"
#include "events/sink_text.h"
#include "http_client/beast_http_client.h"
#include "sinks/influx/influx_format.h"
#include "sinks/influx/influx_http_options.h"
#include "sinks/webhook/webhook_options.h"
#include "sinks/webhook/webhook_sink.h"
#include "snapshot/snapshot_builder.h"

namespace wgtrack {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// Early re-evaluations (after a lost probe) are at least this far apart: a burst of lost
// probes on a hub costs one extra read, not thousands.
constexpr auto kMinCycleGap = milliseconds(100);
constexpr std::size_t kEventRingCapacity = 1000;

std::string describe(const Event& e) {
  std::string who = sanitize_text(e.interface, 64) + " ";
  who += e.name.empty() ? short_key(e.peer)
                        : sanitize_text(e.name, 64) + " (" + short_key(e.peer) + ")";
  std::string line = who + ": " + std::string(to_string(e.type));
  if (!e.old_status.empty()) line += " " + e.old_status + " ->";
  if (!e.status.empty()) line += " " + e.status;
  if (e.type == EventType::kEndpointChanged) {
    line += " " + (e.old_endpoint ? e.old_endpoint->to_string() : std::string("(none)")) + " -> " +
            (e.endpoint ? e.endpoint->to_string() : std::string("(none)"));
  }
  if (!e.reason.empty()) line += " (" + sanitize_text(e.reason, 200) + ")";
  return line;
}

void append_signature(std::string& s, const config::OutputSection& o) {
  s += o.name + '\x1f' + o.type + '\x1f';
  for (const auto& e : o.entries) s += e.key + '=' + e.value + '\x1f';
  for (const auto& e : o.inherited) s += e.key + '=' + e.value + '\x1f';
  s += '\x1e';
}

// The event outputs' settings, to tell a reload that changed them from one that did not.
std::string outputs_signature(const config::Config& c) {
  std::string s;
  for (const auto& o : c.outputs) append_signature(s, o);
  return s;
}

// What the process sets up once at start (the HTTP listener, the history database, the
// resolver's servers): a reload that changes it says so instead of ignoring it silently.
std::string restart_only_changes(const config::Config& before, const config::Config& after) {
  auto signature = [](const std::optional<config::OutputSection>& o) {
    std::string s;
    if (o) append_signature(s, *o);
    return s;
  };
  std::string changed;
  auto add = [&](std::string_view what) {
    if (!changed.empty()) changed += ", ";
    changed += what;
  };
  if (signature(before.http) != signature(after.http)) add("[http]");
  if (signature(before.history) != signature(after.history)) add("[history]");
  if (before.general.dns_servers != after.general.dns_servers) add("dns_servers");
  return changed;
}

}  // namespace

struct Daemon::Timers {
  explicit Timers(boost::asio::io_context& io)
      : regular(io), early(io), watchdog(io), signals(io, SIGHUP, SIGTERM, SIGINT) {}
  boost::asio::steady_timer regular;
  boost::asio::steady_timer early;
  boost::asio::steady_timer watchdog;
  boost::asio::signal_set signals;
  bool early_pending = false;
  MonoTime early_at{};    // when the pending early read fires
  MonoTime regular_at{};  // when the armed regular cycle fires
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

namespace {

// An event after which the Snapshot no longer tells the truth.
bool changes_state(const CycleOutput& out) {
  for (const Event& e : out.events) {
    if (e.type != EventType::kHandshake) return true;
  }
  return false;
}

}  // namespace

Daemon::Daemon(Deps deps, config::ConfigResult initial)
    : deps_(deps),
      config_(std::make_shared<const config::Config>(std::move(initial.config))),
      monitor_(config_),
      stats_(duration_cast<milliseconds>(config_->general.stats_interval)),
      timers_(std::make_unique<Timers>(deps.io)) {
  // The ring's epoch tells API clients that a restarted daemon numbers its events anew.
  ring_ = std::make_unique<EventRing>(
      kEventRingCapacity, static_cast<std::uint64_t>(std::chrono::duration_cast<milliseconds>(
                                                         deps_.clock.wall_now().time_since_epoch())
                                                         .count()));
  apply_outputs(*config_, /*rebuild=*/true);
  if (deps_.resolver) {
    runner_ = std::make_unique<ActionRunner>(ActionRunner::Deps{
        deps_.io, deps_.backend, deps_.prober, *deps_.resolver, deps_.clock, deps_.log, monitor_,
        [this](std::vector<Event> events) { publish_between_cycles(std::move(events)); },
        [this] { request_early_cycle(); }});
  } else {
    monitor_.allow_recovery(false);  // nobody to resolve, probe and write for it
  }
}

Daemon::~Daemon() { *timers_->alive = false; }

void Daemon::apply_outputs(const config::Config& cfg, bool rebuild) {
  if (!rebuild) {
    if (bus_) bus_->reopen();
    return;
  }
  std::vector<config::Diagnostic> diagnostics;
  output_specs_ = parse_event_outputs(cfg, diagnostics);
  std::vector<InfluxFileSpec> state_specs = parse_state_outputs(cfg, diagnostics);
  std::vector<WebhookSpec> webhook_specs = parse_webhook_outputs(cfg, diagnostics);
  std::vector<InfluxHttpSpec> influx_http_specs = parse_influx_http_outputs(cfg, diagnostics);
  log_diagnostics(diagnostics);
  std::vector<std::string> errors;
  spdlog::logger& log = deps_.log;
  SinkLog sink_log = [&log](SinkLogLevel level, std::string_view message) {
    if (level == SinkLogLevel::kWarning)
      log.warn("{}", message);
    else
      log.info("{}", message);
  };
  // A sink's own log lines, prefixed with its section.
  auto output_log = [&sink_log](const std::string& name) -> SinkLog {
    return [sink_log, prefix = "[output:" + name + "] "](SinkLogLevel l, std::string_view m) {
      sink_log(l, prefix + std::string(m));
    };
  };
  if (bus_) bus_->flush();
  std::vector<std::unique_ptr<HttpClient>> clients;
  bus_ = build_event_bus(output_specs_, deps_.io, sink_log, errors);
  for (WebhookSpec& w : webhook_specs) {
    auto client = std::make_unique<BeastHttpClient>(deps_.io, deps_.resolver, w.client);
    auto sink = WebhookSink::create(deps_.io, *client, deps_.clock, std::move(w.options),
                                    output_log(w.name));
    if (!sink) {
      errors.push_back("[output:" + w.name + "] " + sink.error().message);
      continue;
    }
    bus_->add(w.name, std::move(*sink), w.events);
    clients.push_back(std::move(client));
  }
  // The API's ring sees what the outputs see by default (handshakes would flood it).
  bus_->add("api-events", make_event_ring_feed(*ring_), default_events());
  if (deps_.history) bus_->add("history", make_history_feed(*deps_.history), default_events());
  for (const auto& e : errors) deps_.log.error("output not started: {}", e);
  for (const auto& s : bus_->subscriptions()) deps_.log.info("output [{}] active", s.name);

  influx_http_.clear();
  for (InfluxHttpSpec& spec : influx_http_specs) {
    auto client = std::make_unique<BeastHttpClient>(deps_.io, deps_.resolver, spec.client);
    auto sink = InfluxHttpSink::create(deps_.io, *client, deps_.clock, std::move(spec.options),
                                       output_log(spec.name));
    if (!sink) {
      deps_.log.error("output not started: [output:{}] {}", spec.name, sink.error().message);
      continue;
    }
    deps_.log.info("output [{}] active (influx_http {})", spec.name, (*sink)->write_url());
    influx_http_.push_back(std::move(*sink));
    clients.push_back(std::move(client));
  }
  // The old sinks are gone (bus and influx_http replaced): their clients may go now.
  http_clients_ = std::move(clients);
  state_outputs_.clear();
  for (InfluxFileSpec& spec : state_specs) {
    auto writer = InfluxFileWriter::create(spec.path, sink_log);
    if (!writer) {
      deps_.log.error("output not started: [output:{}]: {}", spec.name, writer.error().message);
      continue;
    }
    deps_.log.info("output [{}] active (influx_file {}, schema {})", spec.name, spec.path,
                   to_string(spec.schema));
    state_outputs_.push_back({std::move(spec), std::move(*writer)});
  }
}

void Daemon::refresh_snapshot(MonoTime mono, WallTime wall, bool regular) {
  auto snapshot = std::make_shared<Snapshot>(
      build_snapshot(monitor_, self_metrics_, mono, wall, regular ? latest_.get() : nullptr));
  if (!regular && latest_) carry_rates(*snapshot, *latest_);
  latest_ = std::move(snapshot);
  // Counters for the history and the Influx outputs stay on the regular grid (their points
  // are one per cycle_time); the state view above is what changed.
  if (!regular) return;
  if (deps_.history) deps_.history->record_counters(latest_);
  for (auto& sink : influx_http_) sink->publish(*latest_);
  if (state_outputs_.empty()) return;
  const Snapshot& snapshot_ref = *latest_;
  std::string text;
  for (StateOutput& o : state_outputs_) {
    text.clear();
    render_influx(snapshot_ref, o.spec.schema, text);
    (void)o.writer->write(text);  // failures are logged once per streak by the writer
  }
}

void Daemon::log_diagnostics(const std::vector<config::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity == config::Severity::kError)
      deps_.log.error("{}", config::format_diagnostic(d));
    else
      deps_.log.warn("{}", config::format_diagnostic(d));
  }
}

void Daemon::start() {
  std::weak_ptr<bool> alive = timers_->alive;
  timers_->signals.async_wait([this, alive](const boost::system::error_code& ec, int sig) {
    if (!ec && !alive.expired()) on_signal(sig);
  });
  if (auto period = deps_.notifier.watchdog_period()) {
    // Pinged from the loop itself: if the loop hangs, systemd sees the silence and restarts us.
    auto* t = timers_.get();
    Notifier* n = &deps_.notifier;
    auto tick = std::make_shared<std::function<void()>>();
    *tick = [t, n, period = *period, alive, weak_tick = std::weak_ptr(tick)]() {
      if (alive.expired()) return;
      n->watchdog();
      t->watchdog.expires_after(period);
      t->watchdog.async_wait([weak_tick, alive](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        if (auto f = weak_tick.lock()) (*f)();
      });
    };
    watchdog_tick_ = tick;
    (*tick)();
  }
  boost::asio::post(deps_.io, [this, alive] {
    if (!alive.expired()) cycle(/*probe_round=*/true);
  });
}

void Daemon::on_signal(int sig) {
  if (stopping_) return;
  if (sig == SIGHUP) {
    reload();
    std::weak_ptr<bool> alive = timers_->alive;
    timers_->signals.async_wait([this, alive](const boost::system::error_code& ec, int s) {
      if (!ec && !alive.expired()) on_signal(s);
    });
    return;
  }
  deps_.log.info("received {}: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  stop();
}

void Daemon::stop() {
  if (stopping_) return;
  stopping_ = true;
  deps_.notifier.stopping();
  boost::system::error_code ignored;
  timers_->regular.cancel();
  timers_->early.cancel();
  timers_->watchdog.cancel();
  timers_->signals.cancel(ignored);
  if (runner_) runner_->stop();
  if (bus_) {
    bus_->flush();
    bus_.reset();  // exec hooks still running are stopped and reaped here
  }
  // The prober keeps reads armed on its sockets; nothing else needs the loop any more.
  for (const auto& [name, table] : monitor_.interfaces()) deps_.prober.forget(name);
  deps_.log.info("{}", stats_.summary_line());
  deps_.log.info("stopped");
  deps_.io.stop();
}

bool Daemon::reload() {
  deps_.notifier.reloading();
  deps_.log.info("reloading configuration");
  config::ConfigResult next = deps_.load_config();
  // The same verdict as at start and in check-config: [http] and [history] included, so a
  // reload never takes what the next start would refuse.
  const ConfigCheck check = validate_config(next);
  if (!check.usable) {
    log_diagnostics(check.diagnostics);
    deps_.log.error("configuration rejected ({} errors); the previous configuration stays active",
                    check.errors);
    deps_.notifier.ready();
    if (bus_) bus_->reopen();
    return false;
  }
  log_diagnostics(next.diagnostics);  // the outputs' own are logged as they are built
  const bool outputs_changed = outputs_signature(next.config) != outputs_signature(*config_);
  if (const std::string later = restart_only_changes(*config_, next.config); !later.empty()) {
    deps_.log.warn("{} changed: applied at the next restart, the rest now", later);
  }
  config_ = std::make_shared<const config::Config>(std::move(next.config));
  monitor_.set_config(config_);
  stats_.set_interval(duration_cast<milliseconds>(config_->general.stats_interval));
  apply_outputs(*config_, outputs_changed);
  next_regular_.reset();  // a new cycle_time takes effect from now
  deps_.log.info("configuration reloaded");
  deps_.notifier.ready();
  return true;
}

void Daemon::cycle(bool probe_round) {
  if (stopping_) return;
  const MonoTime mono = deps_.clock.mono_now();
  const WallTime wall = deps_.clock.wall_now();
  last_cycle_ = mono;
  ++cycles_;

  std::vector<InterfaceRead> reads;
  auto list = deps_.backend.list_interfaces();
  CycleOutput out;
  if (!list) {
    // Without a list nothing can be judged: keep every state, say so, try again next cycle.
    deps_.log.warn("cannot list WireGuard interfaces: {}", list.error().message);
    self_metrics_.record_backend_error(list.error().code);
    out.stats.backend_ok = false;
  } else {
    for (const InterfaceRef& ref : *list) {
      if (!config_->interface_enabled(ref.name)) continue;
      reads.push_back({ref.name, deps_.backend.get_device(ref.name)});
      if (!reads.back().device)
        self_metrics_.record_backend_error(reads.back().device.error().code);
    }
    monitor_.run_cycle(std::move(reads), mono, wall, out, probe_round);
    if (runner_) {
      runner_->after_cycle(out);
      self_metrics_.resolver_errors = runner_->stats().resolve_errors;
    }
  }
  for (const auto& w : out.warnings) deps_.log.warn("{}", w);
  publish(out);
  self_metrics_.record_cycle(deps_.clock.mono_now() - mono, out.stats.backend_ok, out.events);
  if (probe_round) {
    refresh_snapshot(mono, wall, /*regular=*/true);
  } else if (changes_state(out)) {
    // What /metrics, the API and the dashboard show is never behind the events just sent.
    refresh_snapshot(mono, wall, /*regular=*/false);
  }
  send_probes(out.probes);  // a regular cycle's, or the watch probes of a read between
  stats_.record_cycle(out.stats);
  if (!ready_sent_) {
    stats_.start(mono);
    ready_sent_ = true;
    deps_.notifier.ready();
    deps_.log.info("watching {}", monitor_.status_line());
  } else if (stats_.poll_due(mono)) {
    deps_.log.info("{}", stats_.summary_line());
  }
  deps_.notifier.status(monitor_.status_line());
  schedule_next(probe_round);
}

void Daemon::publish(const CycleOutput& out) {
  for (const Event& e : out.events) {
    if (e.type == EventType::kHandshake)
      deps_.log.debug("{}", describe(e));
    else if (e.status == "down" || e.type == EventType::kPeerRemoved)
      deps_.log.warn("{}", describe(e));
    else
      deps_.log.info("{}", describe(e));
    if (bus_) bus_->publish(e);
  }
  if (bus_) bus_->flush();
}

void Daemon::publish_between_cycles(std::vector<Event> events) {
  if (stopping_) return;
  CycleOutput out;
  out.events = std::move(events);
  publish(out);
}

void Daemon::send_probes(const std::vector<ProbeOrder>& orders) {
  std::weak_ptr<bool> alive = timers_->alive;
  for (const ProbeOrder& o : orders) {
    const MonoTime sent = deps_.clock.mono_now();
    deps_.prober.probe({o.interface, o.target, o.timeout},
                       [this, alive, sent, iface = o.interface, peer = o.peer,
                        o_target = o.target.address_string()](const ProbeResult& r) {
                         if (alive.expired() || stopping_) return;
                         if (deps_.log.should_log(spdlog::level::debug)) {
                           deps_.log.debug("probe {} {} -> {}: {}", iface, short_key(peer),
                                           o_target,
                                           r.ok ? "ok" : (r.error ? r.error->message : "lost"));
                         }
                         if (r.ok || r.lost()) {
                           const ProbeSample sample{
                               sent, r.ok, r.ok ? std::optional<nanoseconds>(r.rtt) : std::nullopt};
                           if (runner_) {
                             runner_->probe_answered({iface, peer}, sample);
                           } else {
                             monitor_.add_probe_result(iface, peer, sample);
                           }
                           if (!r.ok) request_early_cycle();
                         } else if (r.error) {
                           // We could not probe: says nothing about the peer. Visible, counted.
                           if (probe_errors_++ == 0)
                             deps_.log.warn("cannot probe through {}: {}", iface, r.error->message);
                           stats_.record_error();
                           ++self_metrics_.probe_errors;
                         }
                       });
  }
}

void Daemon::request_early_cycle() {
  if (stopping_) return;
  const MonoTime now = deps_.clock.mono_now();
  arm_early(std::max(now, last_cycle_ + nanoseconds(kMinCycleGap)));
}

void Daemon::arm_early(MonoTime at) {
  if (timers_->early_pending && timers_->early_at <= at) return;  // an earlier one is armed
  const MonoTime now = deps_.clock.mono_now();
  timers_->early_pending = true;
  timers_->early_at = at;
  timers_->early.expires_after(at > now ? at - now : nanoseconds(0));  // cancels an armed wait
  std::weak_ptr<bool> alive = timers_->alive;
  timers_->early.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    timers_->early_pending = false;
    cycle(/*probe_round=*/false);
  });
}

void Daemon::arm_regular(MonoTime at) {
  const MonoTime now = deps_.clock.mono_now();
  timers_->regular_at = at;
  timers_->regular.expires_after(at > now ? at - now : nanoseconds(0));  // cancels an armed wait
  std::weak_ptr<bool> alive = timers_->alive;
  timers_->regular.async_wait([this, alive](const boost::system::error_code& ec) {
    if (!ec && !alive.expired()) cycle(/*probe_round=*/true);
  });
}

void Daemon::schedule_next(bool probe_round) {
  const MonoTime now = deps_.clock.mono_now();
  MonoTime regular = timers_->regular_at;
  if (probe_round) {
    const auto period = duration_cast<nanoseconds>(config_->general.cycle_time);
    // Keep a fixed grid (no drift from the cycle's own duration); after a stall, restart it.
    regular = next_regular_ ? *next_regular_ + period : last_cycle_ + period;
    if (regular <= now) regular = now + period;
    next_regular_ = regular;
  }
  // A verdict may change before the next regular cycle (a threshold is crossed): read then.
  // Planned after early reads too, so a rule that needs reads more often than cycle_time (rx
  // silence at 1.5 x keepalive) keeps being watched between regular cycles.
  std::optional<MonoTime> deadline = monitor_.next_deadline();
  const auto watch = duration_cast<nanoseconds>(config_->general.watch_interval);
  if (watch.count() > 0 && watch < duration_cast<nanoseconds>(config_->general.cycle_time)) {
    // Read between cycles at least this often (watch_interval): a peer that stops answering
    // is seen within seconds whatever cycle_time says.
    const MonoTime watch_at = last_cycle_ + watch;
    if (!deadline || watch_at < *deadline) deadline = watch_at;
  }
  const CyclePlan plan = plan_cycles(now, next_regular_.value_or(regular), deadline, kMinCycleGap);
  if (probe_round || plan.regular != timers_->regular_at) arm_regular(plan.regular);
  if (plan.early) arm_early(*plan.early);
}

}  // namespace wgtrack
