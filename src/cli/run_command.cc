#include "cli/run_command.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdlib>
#include <filesystem>

#include "config/config_loader.h"
#include "daemon/config_check.h"
#include "daemon/daemon.h"
#include "daemon/history_settings.h"
#include "daemon/http_api.h"
#include "daemon/http_settings.h"
#include "daemon/log_format.h"
#include "daemon/notifier.h"
#include "daemon/outputs.h"
#include "http/http_server.h"
#include "probe/icmp_prober.h"
#include "resolver/ares_resolver.h"
#include "sinks/history/history_api.h"
#include "sinks/json/json_api.h"
#include "sys/system_clock.h"
#include "wireguard/dispatcher.h"
#include "wireguard/kernel_backend.h"
#include "wireguard/uapi_backend.h"

#ifndef WGTRACK_VERSION
#define WGTRACK_VERSION "dev"
#endif

namespace wgtrack {
namespace {

std::optional<spdlog::level::level_enum> parse_level(std::string_view s) {
  if (s == "debug") return spdlog::level::debug;
  if (s == "info") return spdlog::level::info;
  if (s == "warning" || s == "warn") return spdlog::level::warn;
  if (s == "error") return spdlog::level::err;
  return std::nullopt;
}

spdlog::level::level_enum to_spdlog(config::LogLevel l) {
  switch (l) {
    case config::LogLevel::kDebug:
      return spdlog::level::debug;
    case config::LogLevel::kInfo:
      return spdlog::level::info;
    case config::LogLevel::kWarning:
      return spdlog::level::warn;
    case config::LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

int check_config(const RunOptions& options, std::ostream& out) {
  const config::ConfigResult r = config::load_config(options.config_path);
  const ConfigCheck check = validate_config(r);
  out << config::format_diagnostics(check.diagnostics);
  const auto errors = check.errors;
  const auto warnings = check.warnings;
  out << options.config_path << ": " << errors << (errors == 1 ? " error, " : " errors, ")
      << warnings << (warnings == 1 ? " warning" : " warnings");
  std::size_t peers = 0;
  for (const auto& w : r.config.wgquick) peers += w.peers.size();
  out << "; " << r.config.wgquick.size() << " wg-quick interface file(s) with " << peers
      << " peer(s) read from " << r.config.general.wireguard_config_dir << "\n";
  out << describe_probe_targets(r.config);
  // The same verdict the daemon applies at start and on SIGHUP; exit 1 on any error still.
  if (!check.usable) {
    out << "wgtrack would not start with it, and a reload would keep the running configuration\n";
  } else if (errors > 0) {
    out << "wgtrack would run with it, skipping the [peer:] sections named above\n";
  }
  return errors == 0 ? 0 : 1;
}

int run_daemon(const RunOptions& options, std::ostream& err) {
  // stderr, single-threaded sink (no hidden threads). Under systemd, journald stamps time.
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  spdlog::logger log("wgtrack", sink);
  log.set_formatter(make_log_formatter(
      std::getenv("JOURNAL_STREAM") ? "<%l> %v" : "%Y-%m-%d %H:%M:%S.%e %^%-7l%$ %v"));

  config::ConfigResult initial = config::load_config(options.config_path);
  std::optional<spdlog::level::level_enum> level;
  if (options.loglevel) {
    level = parse_level(*options.loglevel);
    if (!level) {
      err << "wgtrack: --loglevel must be debug, info, warning or error\n";
      return 2;
    }
  }
  log.set_level(level.value_or(to_spdlog(initial.config.general.loglevel)));
  const ConfigCheck check = validate_config(initial);
  if (!check.usable) {
    err << config::format_diagnostics(check.diagnostics);
    err << "wgtrack: " << options.config_path << " is invalid; not starting\n";
    return 1;
  }

  boost::asio::io_context io;
  KernelBackend kernel;
  UapiBackend userspace(UapiBackend::kDefaultSocketDir, std::chrono::seconds(2),
                        UapiBackend::Scope::kThisNamespace);
  Dispatcher backend(kernel, userspace,
                     [&userspace](std::string_view n) { return userspace.has_socket(n); });
  IcmpProber prober(io);
  AresResolverOptions resolver_options;
  for (const Endpoint& server : initial.config.general.dns_servers) {
    if (!resolver_options.servers.empty()) resolver_options.servers += ',';
    resolver_options.servers += server.to_string();
  }
  AresResolver resolver(io, resolver_options);
  SystemClock clock;
  SystemdNotifier notifier;
  log.info("wgtrack starting: config {}, cycle_time {} ms", options.config_path,
           std::chrono::duration_cast<std::chrono::milliseconds>(initial.config.general.cycle_time)
               .count());
  const config::Config initial_config = initial.config;  // [http] and cycle_time for the server
  // The SQLite history, read at start; without it (unwritable, corrupt) monitoring goes on.
  std::vector<config::Diagnostic> history_diagnostics;
  std::unique_ptr<HistorySink> history;
  std::optional<HistoryOptions> history_options =
      parse_history_settings(initial_config, history_diagnostics);
  if (history_options) {
    std::error_code ignored;  // the directory of the default path may not exist yet
    std::filesystem::create_directories(std::filesystem::path(history_options->path).parent_path(),
                                        ignored);
    SinkLog history_log = [&log](SinkLogLevel severity, std::string_view message) {
      if (severity == SinkLogLevel::kWarning)
        log.warn("[history] {}", message);
      else
        log.info("[history] {}", message);
    };
    auto created = HistorySink::create(*history_options, clock.wall_now(), history_log);
    if (created) {
      history = std::move(*created);
      log.info("history: {}", history_options->path);
    } else {
      log.warn("history disabled: {} (set [history] path, or enabled = no)",
               created.error().message);
    }
  }
  Daemon daemon({io, backend, prober, clock, notifier, log,
                 [path = options.config_path] { return config::load_config(path); }, &resolver,
                 history.get()},
                std::move(initial));
  // The HTTP server reads the daemon's latest snapshot and event ring; [http] is read at start.
  std::vector<config::Diagnostic> http_diagnostics;
  std::optional<HttpSettings> http = parse_http_settings(initial_config, http_diagnostics);
  // /metrics and /api/v1/status are rendered and gzip-compressed on this thread, not on the loop
  // (DocumentCache).
  // Declared after `io` and before `server`: joined after the routes are gone and while the
  // loop its last job posts to still exists.
  boost::asio::thread_pool render_worker(1);
  std::unique_ptr<http::HttpServer> server;
  if (http) {
    HttpApiContext api;
    api.snapshot = [&daemon] { return daemon.latest_snapshot(); };
    api.events = &daemon.event_ring();
    api.clock = &clock;
    api.version = WGTRACK_VERSION;
    api.started = clock.mono_now();
    api.cycle_time = initial_config.general.cycle_time;
    api.off_loop = [&render_worker](std::function<void()> job) {
      boost::asio::post(render_worker, std::move(job));
    };
    api.to_loop = [&io](std::function<void()> f) { boost::asio::post(io, std::move(f)); };
    if (history) {
      // Reads on the loop through their own read-only connection (WAL: never blocked by the
      // writer thread); one peer's day of minute rows is ~1,440 rows.
      api.history = [path = history_options->path, store = std::shared_ptr<HistoryStore>(), &clock](
                        std::string_view key,
                        std::chrono::seconds since) mutable -> Result<std::string> {
        auto k = parse_peer_key(key);
        if (!k) return Error(ErrorCode::kNotFound, "not a public key");
        if (!store) {
          auto opened = HistoryStore::open_read_only(path);
          if (!opened) return opened.error();
          store = std::make_shared<HistoryStore>(std::move(*opened));
        }
        const WallTime now = clock.wall_now();
        return render_history_json(*store, *k, now - since, now);
      };
    }
    server = std::make_unique<http::HttpServer>(io, http->server,
                                                make_http_router(*http, std::move(api)), clock);
    if (auto started = server->start(); !started) {
      if (initial_config.http) {  // asked for explicitly: a wrong setting must not go unnoticed
        err << "wgtrack: cannot serve HTTP: " << started.error().message << "\n";
        return 1;
      }
      // The default listener (no [http] section) is a convenience, never a reason to stop
      // monitoring: e.g. another daemon already serves 127.0.0.1:9586.
      log.warn("not serving HTTP on the default {}: {} (configure [http] listen)",
               http->server.listen.front(), started.error().message);
      server.reset();
    }
    for (const Endpoint& e : server ? server->local_endpoints() : std::vector<Endpoint>{}) {
      log.info("serving http{}://{}/ (metrics: /metrics, API: /api/v1/status{})",
               http->server.tls ? "s" : "", e.to_string(), http->dashboard ? ", dashboard: /" : "");
    }
  }
  daemon.start();
  io.run();
  if (server) server->stop();
  return 0;
}

}  // namespace wgtrack
