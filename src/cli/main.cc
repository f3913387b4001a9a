// wgtrack command line: the subcommand table. Each command lives in its own file; this is
// the composition root that builds the real backends.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <iostream>

#include "cli/endpoint_command.h"
#include "cli/history_commands.h"
#include "cli/run_command.h"
#include "cli/show_command.h"
#include "config/config_loader.h"
#include "probe/icmp_prober.h"
#include "resolver/ares_resolver.h"
#include "wireguard/dispatcher.h"
#include "wireguard/kernel_backend.h"
#include "wireguard/uapi_backend.h"

#ifndef WGTRACK_VERSION
#define WGTRACK_VERSION "dev"
#endif

int main(int argc, char** argv) {
  using namespace wgtrack;
  CLI::App app{
      "wgtrack: keeps WireGuard links honest - watch, decide, recover, report.\n"
      "Without a subcommand it runs the daemon in the foreground (same as `run`)."};
  app.set_version_flag("--version", std::string("wgtrack ") + WGTRACK_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough();  // -c/-l work before or after the subcommand

  RunOptions run;
  app.add_option("-c,--config", run.config_path, "Configuration file")->capture_default_str();
  app.add_option("-l,--loglevel", run.loglevel, "debug, info, warning or error")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}));

  auto* run_cmd = app.add_subcommand("run", "Run the daemon in the foreground (the default)");
  auto* check_cmd = app.add_subcommand(
      "check-config", "Check the configuration: every diagnostic with file:line; exit 1 on errors");

  ShowOptions show;
  auto* show_cmd = app.add_subcommand(
      "show", "Show every WireGuard interface and peer (kernel and userspace), like `wg show`");
  show_cmd->add_option("interface", show.interface, "Only this interface");
  show_cmd->add_flag("--json", show.json, "Machine-readable JSON (never contains secrets)");

  EndpointOptions endpoint;
  std::string dns_servers;
  auto* endpoint_cmd = app.add_subcommand(
      "endpoint",
      "One-shot endpoint update (cron), as wireguard_endpoint_manager.py: resolve HOST, probe "
      "every address in parallel, set the first reachable one (update-only). Exit 0 done, "
      "255 nothing resolved, 254 nothing reachable, 1 other errors");
  endpoint_cmd->add_option("--interface", endpoint.interface, "WireGuard interface")->required();
  endpoint_cmd->add_option("--peer", endpoint.peer, "The peer's public key")->required();
  endpoint_cmd->add_option("--host", endpoint.host, "Host name or address of the peer")->required();
  endpoint_cmd->add_option("--port", endpoint.port, "UDP port of the peer")->required();
  endpoint_cmd->add_flag("--dry-run,--dryrun", endpoint.dry_run, "Only say what would be done");
  endpoint_cmd->add_option("--prefer", endpoint.prefer, "Address family first: ipv6, ipv4, none")
      ->check(CLI::IsMember({"ipv6", "ipv4", "none"}))
      ->capture_default_str();
  endpoint_cmd->add_option("--dns-server", dns_servers,
                           "Ask these DNS servers (ip[:port],...) instead of resolv.conf's");
  EventsOptions events;
  auto* events_cmd = app.add_subcommand("events", "Events from the history (SQLite), newest last");
  events_cmd->add_option("--since", events.since, "How far back: 30m, 1h, 7d")
      ->capture_default_str();
  events_cmd->add_option("--peer", events.peer, "Only this peer (friendly name or public key)");
  events_cmd->add_option("--limit", events.limit, "At most this many")->capture_default_str();
  events_cmd->add_flag("--json", events.json, "JSON lines, as the event log file");
  events_cmd->add_option("--db", events.db, "History database")->capture_default_str();
  UptimeOptions uptime;
  auto* uptime_cmd = app.add_subcommand(
      "uptime", "Availability per peer and its outages, from the history (SQLite)");
  uptime_cmd->add_option("--since", uptime.since, "Window: 1d, 7d, 30d")->capture_default_str();
  uptime_cmd->add_flag("--json", uptime.json, "Machine-readable JSON");
  uptime_cmd->add_option("--db", uptime.db, "History database")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  const auto wall_now = [] {
    return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  };
  if (*events_cmd) return run_events(events, wall_now(), std::cout, std::cerr);
  if (*uptime_cmd) return run_uptime(uptime, wall_now(), std::cout, std::cerr);

  if (*check_cmd) return check_config(run, std::cout);
  if (*run_cmd || app.get_subcommands().empty()) return run_daemon(run, std::cerr);

  KernelBackend kernel;
  UapiBackend userspace;
  Dispatcher backend(kernel, userspace,
                     [&userspace](std::string_view n) { return userspace.has_socket(n); });

  if (*endpoint_cmd) {
    boost::asio::io_context io;
    AresResolverOptions resolver_options;
    resolver_options.servers = dns_servers;
    AresResolver resolver(io, resolver_options);
    IcmpProber prober(io);
    return run_endpoint(
        endpoint, backend, resolver, prober, [&io] { return io.run_one() > 0; }, std::cout,
        std::cerr);
  }
  if (*show_cmd) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
    // The configuration only adds where probes go; a missing or broken one shows the rest.
    const config::ConfigResult loaded = config::load_config(run.config_path);
    if (loaded.fatal_errors == 0) show.config = &loaded.config;
    return run_show(backend, show, now, std::cout, std::cerr);
  }
  return 2;
}
