#include "cli/history_commands.h"

#include <cstdio>

#include "cli/human.h"
#include "config/durations.h"
#include "core/json.h"
#include "events/event_json.h"
#include "events/sink_text.h"
#include "sinks/history/history_store.h"

namespace wgtrack {
namespace {

Result<WallTime> window_start(const std::string& since, WallTime now) {
  auto d = config::parse_duration(since);
  if (!d) return Error(ErrorCode::kInvalidInput, "--since " + since + ": " + d.error().message);
  return now - *d;
}

std::string seconds_text(std::chrono::nanoseconds d) {
  return format_duration(std::chrono::duration_cast<std::chrono::seconds>(d));
}

// Left-aligned in `width` columns, and always followed by a space (a 44-character key is
// wider than the PEER column and must not run into the next one).
std::string pad(std::string s, std::size_t width) {
  s.append(s.size() < width ? width - s.size() : 1, ' ');
  return s;
}

// A peer as people know it: the name, else the key.
std::string peer_label(const std::string& name, const std::string& key) {
  return sanitize_text(name.empty() ? key : name + " (" + key.substr(0, 8) + "...)");
}

std::string status_text(const StoredEvent& e) {
  if (!e.old_status.empty() && e.old_status != e.status) return e.old_status + " -> " + e.status;
  return e.status;
}

void append_seconds(std::string& out, std::chrono::nanoseconds d) {
  append_int(out, std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

}  // namespace

int run_events(const EventsOptions& options, WallTime now, std::ostream& out, std::ostream& err) {
  auto since = window_start(options.since, now);
  if (!since) {
    err << "wgtrack events: " << since.error().message << "\n";
    return 2;
  }
  auto store = HistoryStore::open_read_only(options.db);
  if (!store) {
    err << "wgtrack events: " << store.error().message << "\n";
    return 1;
  }
  auto events =
      store->query_events({.since = *since, .peer = options.peer, .limit = options.limit});
  if (!events) {
    err << "wgtrack events: " << events.error().message << "\n";
    return 1;
  }
  if (options.json) {
    for (const StoredEvent& e : *events) out << e.json << "\n";
    return 0;
  }
  if (events->empty()) {
    out << "No events since " << format_rfc3339_utc(*since) << ".\n";
    return 0;
  }
  out << pad("TIME", 25) << pad("INTERFACE", 11) << pad("PEER", 30) << pad("EVENT", 17)
      << pad("STATUS", 16) << "DETAIL\n";
  for (const StoredEvent& e : *events) {
    // Everything read back is escaped: the file may have been written by something else.
    std::string detail = e.reason;
    if (!e.old_endpoint.empty()) {
      detail += (detail.empty() ? "" : "; ") + e.old_endpoint + " -> " + e.endpoint;
    } else if (!e.endpoint.empty()) {
      detail += (detail.empty() ? "" : "; ") + std::string("endpoint ") + e.endpoint;
    }
    detail = sanitize_text(detail);
    out << pad(format_rfc3339_utc(e.at), 25) << pad(sanitize_text(e.interface), 11)
        << pad(peer_label(e.name, e.key), 30) << pad(sanitize_text(e.type), 17)
        << pad(sanitize_text(status_text(e)), 16) << detail << "\n";
  }
  if (events->size() == options.limit) {
    out << "(the newest " << options.limit << " events; use --limit or --since for others)\n";
  }
  return 0;
}

namespace {

void render_uptime_json(const UptimeReport& r, std::ostream& out) {
  std::string s = "{\"window\":{\"start\":";
  append_json_string(s, format_rfc3339_utc(r.window.start));
  s += ",\"end\":";
  append_json_string(s, format_rfc3339_utc(r.window.end));
  s += "},\"runs\":[";
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    if (i) s += ',';
    s += "{\"start\":";
    append_json_string(s, format_rfc3339_utc(r.runs[i].start));
    s += ",\"end\":";
    append_json_string(s, format_rfc3339_utc(r.runs[i].end));
    s += '}';
  }
  s += "],\"peers\":[";
  for (std::size_t i = 0; i < r.peers.size(); ++i) {
    const PeerUptimeRow& p = r.peers[i];
    const PeerUptime& u = p.uptime;
    if (i) s += ',';
    s += "{\"interface\":";
    append_json_string(s, p.interface);
    s += ",\"peer\":";
    append_json_string(s, p.key);
    s += ",\"name\":";
    if (p.name.empty()) {
      s += "null";
    } else {
      append_json_string(s, p.name);
    }
    s += ",\"availability\":";
    if (u.availability) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6f", *u.availability);
      s += buf;
    } else {
      s += "null";
    }
    s += ",\"up_seconds\":";
    append_seconds(s, u.up);
    s += ",\"down_seconds\":";
    append_seconds(s, u.down);
    s += ",\"never_seconds\":";
    append_seconds(s, u.never);
    s += ",\"absent_seconds\":";
    append_seconds(s, u.absent);
    s += ",\"unknown_seconds\":";
    append_seconds(s, u.unknown);
    s += ",\"outages\":[";
    for (std::size_t k = 0; k < u.outages.size(); ++k) {
      const Outage& o = u.outages[k];
      if (k) s += ',';
      s += "{\"start\":";
      append_json_string(s, format_rfc3339_utc(o.start));
      s += ",\"end\":";
      append_json_string(s, format_rfc3339_utc(o.end));
      s += ",\"duration_seconds\":";
      append_seconds(s, o.duration());
      s += ",\"ended\":";
      append_json_string(s, to_string(o.end_kind));
      s += ",\"started_before_window\":";
      s += o.started_before_window ? "true" : "false";
      s += ",\"reason\":";
      append_json_string(s, o.reason);
      s += '}';
    }
    s += "]}";
  }
  s += "]}\n";
  out << s;
}

void render_uptime_table(const UptimeReport& r, std::ostream& out) {
  const auto window = r.window.end - r.window.start;
  std::chrono::nanoseconds running{0};
  for (const AliveSpan& a : r.runs) running += a.end - a.start;
  out << "From " << format_rfc3339_utc(r.window.start) << " to " << format_rfc3339_utc(r.window.end)
      << " (" << seconds_text(window) << ")";
  if (running < window) out << "; wgtrack was not running for " << seconds_text(window - running);
  out << "\n";
  if (r.peers.empty()) {
    out << "No peer status recorded in this window.\n";
    return;
  }
  out << pad("INTERFACE", 11) << pad("PEER", 30) << pad("AVAILABILITY", 14) << pad("OUTAGES", 9)
      << "DOWN\n";
  for (const PeerUptimeRow& p : r.peers) {
    const PeerUptime& u = p.uptime;
    std::string availability = "n/a";
    if (u.availability) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f %%", *u.availability * 100.0);
      availability = buf;
    } else if (u.never.count() > 0) {
      availability = "never up";
    }
    out << pad(sanitize_text(p.interface), 11) << pad(peer_label(p.name, p.key), 30)
        << pad(availability, 14) << pad(std::to_string(u.outages.size()), 9)
        << (u.down.count() > 0 ? seconds_text(u.down) : "-") << "\n";
    for (const Outage& o : u.outages) {
      out << "    down " << format_rfc3339_utc(o.start)
          << (o.started_before_window ? " (or earlier)" : "") << " .. ";
      if (o.end_kind == OutageEnd::kOngoing) {
        out << "now, ongoing";
      } else {
        out << format_rfc3339_utc(o.end) << ", " << to_string(o.end_kind);
      }
      out << " (" << seconds_text(o.duration()) << ")";
      if (!o.reason.empty()) out << ": " << sanitize_text(o.reason);
      out << "\n";
    }
  }
}

}  // namespace

int run_uptime(const UptimeOptions& options, WallTime now, std::ostream& out, std::ostream& err) {
  auto since = window_start(options.since, now);
  if (!since) {
    err << "wgtrack uptime: " << since.error().message << "\n";
    return 2;
  }
  auto store = HistoryStore::open_read_only(options.db);
  if (!store) {
    err << "wgtrack uptime: " << store.error().message << "\n";
    return 1;
  }
  auto report = store->uptime(*since, now);
  if (!report) {
    err << "wgtrack uptime: " << report.error().message << "\n";
    return 1;
  }
  if (options.json) {
    render_uptime_json(*report, out);
  } else {
    render_uptime_table(*report, out);
  }
  return 0;
}

}  // namespace wgtrack
