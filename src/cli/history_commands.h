// `wgtrack events` and `wgtrack uptime`: read the history database the daemon writes
// ([history] path, sinks/history/). Read-only: never creates or changes the file.
//
//   wgtrack events [--since 1h] [--peer NAME-OR-KEY] [--limit N] [--json] [--db PATH]
//     The newest N (default 1000) events of the window, oldest first: a table, or with --json
//     one event per line in the same JSON form as the log file and webhooks (event_json.h).
//   wgtrack uptime [--since 7d] [--json] [--db PATH]
//     Per peer: availability (up / (up + down), see sinks/history/uptime.h: the time wgtrack was
//     not running is unknown, not downtime; "never" is not an outage), time down, and each
//     outage with start, end, duration and how it ended.
// --since takes a duration (config/durations.h: 30m, 1h, 7d). Times print in RFC 3339 UTC.
// Exit codes: 0 ok (also for an empty window), 1 the database cannot be read (missing, damaged,
// newer schema: the message names the path), 2 bad arguments.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include "core/clock.h"
#include "sinks/history/history_options.h"

namespace wgtrack {

struct EventsOptions {
  std::string db = kDefaultHistoryPath;
  std::string since = "1h";
  std::string peer;  // "" = all; a friendly name or a base64 public key
  std::size_t limit = 1000;
  bool json = false;
};

struct UptimeOptions {
  std::string db = kDefaultHistoryPath;
  std::string since = "7d";
  bool json = false;
};

int run_events(const EventsOptions& options, WallTime now, std::ostream& out, std::ostream& err);
int run_uptime(const UptimeOptions& options, WallTime now, std::ostream& out, std::ostream& err);

}  // namespace wgtrack
