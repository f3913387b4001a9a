// HistoryStore's read side: events, uptime, peers, samples.
#include <algorithm>
#include <map>

#include "events/event_json.h"
#include "sinks/history/history_store.h"
#include "sinks/history/history_store_impl.h"

namespace wgtrack {
namespace {

// The JSON of a stored event: its columns hold every field event_json() writes. A field that
// does not parse (written by hand, or a future type) is left out rather than failing the query.
std::string rebuild_event_json(const StoredEvent& s) {
  Event e;
  e.type = parse_event_type(s.type).value_or(EventType::kStatusChange);
  e.timestamp = s.at;
  e.interface = s.interface;
  if (auto key = PublicKey::from_base64(s.key)) e.peer = *key;
  e.name = s.name;
  e.old_status = s.old_status;
  e.status = s.status;
  if (auto ep = Endpoint::parse(s.endpoint)) e.endpoint = *ep;
  if (auto ep = Endpoint::parse(s.old_endpoint)) e.old_endpoint = *ep;
  e.reason = s.reason;
  return event_json(e);
}

}  // namespace

Result<std::vector<StoredEvent>> HistoryStore::query_events(const EventQuery& query) {
  std::string sql =
      "SELECT id, ts, type, interface, key, name, old_status, status, endpoint, old_endpoint, "
      "reason "
      "FROM events WHERE ts >= ?1";
  if (!query.peer.empty()) sql += " AND (key = ?3 OR name = ?3)";
  // The newest `limit`, returned oldest first.
  sql += " ORDER BY ts DESC, id DESC LIMIT ?2";
  auto stmt = impl_->db.prepare(sql);
  if (!stmt) return stmt.error().context(impl_->path);
  stmt->bind(1, unix_ms(query.since)).bind(2, static_cast<std::int64_t>(query.limit));
  if (!query.peer.empty()) stmt->bind(3, query.peer);
  std::vector<StoredEvent> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error().context(impl_->path);
    if (!*row) break;
    StoredEvent e;
    e.id = stmt->int64(0);
    e.at = from_ms(stmt->int64(1));
    e.type = stmt->text(2);
    e.interface = stmt->text(3);
    e.key = stmt->text(4);
    e.name = stmt->text(5);
    e.old_status = stmt->text(6);
    e.status = stmt->text(7);
    e.endpoint = stmt->text(8);
    e.old_endpoint = stmt->text(9);
    e.reason = stmt->text(10);
    e.json = rebuild_event_json(e);
    out.push_back(std::move(e));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

namespace {

constexpr const char* kPeerColumns =
    "SELECT id, interface, key, name, rx_total, tx_total, first_seen, last_seen FROM peers ";

StoredPeer stored_peer(SqliteStmt& stmt) {
  return {.id = stmt.int64(0),
          .interface = stmt.text(1),
          .key = stmt.text(2),
          .name = stmt.text(3),
          .rx_total = static_cast<std::uint64_t>(stmt.int64(4)),
          .tx_total = static_cast<std::uint64_t>(stmt.int64(5)),
          .first_seen = from_s(stmt.int64(6)),
          .last_seen = from_s(stmt.int64(7))};
}

}  // namespace

Result<std::vector<StoredPeer>> HistoryStore::peers() {
  auto stmt = impl_->db.prepare(std::string(kPeerColumns) + "ORDER BY interface, key");
  if (!stmt) return stmt.error().context(impl_->path);
  std::vector<StoredPeer> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error().context(impl_->path);
    if (!*row) break;
    out.push_back(stored_peer(*stmt));
  }
  return out;
}

Result<std::optional<StoredPeer>> HistoryStore::peer(std::string_view key) {
  auto stmt = impl_->db.prepare(std::string(kPeerColumns) +
                                "WHERE key = ?1 ORDER BY last_seen DESC LIMIT 1");
  if (!stmt) return stmt.error().context(impl_->path);
  stmt->bind(1, key);
  auto row = stmt->step();
  if (!row) return row.error().context(impl_->path);
  if (!*row) return std::optional<StoredPeer>();
  return std::optional<StoredPeer>(stored_peer(*stmt));
}

Result<std::vector<TrafficSample>> HistoryStore::samples(std::int64_t peer_id,
                                                         std::chrono::seconds resolution,
                                                         WallTime since) {
  const char* sql = resolution >= std::chrono::hours(1)
                        ? "SELECT t, rx, tx FROM samples_hour WHERE peer_id = ?1 AND t >= ?2 "
                          "ORDER BY t"
                        : "SELECT t, rx, tx FROM samples_minute WHERE peer_id = ?1 AND t >= ?2 "
                          "ORDER BY t";
  auto stmt = impl_->db.prepare(sql);
  if (!stmt) return stmt.error().context(impl_->path);
  stmt->bind(1, peer_id).bind(2, unix_s(since));
  std::vector<TrafficSample> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error().context(impl_->path);
    if (!*row) break;
    out.push_back({stmt->int64(0), static_cast<std::uint64_t>(stmt->int64(1)),
                   static_cast<std::uint64_t>(stmt->int64(2))});
  }
  return out;
}

Result<UptimeReport> HistoryStore::uptime(WallTime since, WallTime now) {
  UptimeReport report;
  report.window = {since, now};
  // Daemon runs that reach into the window. A run without a clean stop whose last heartbeat is
  // recent is the daemon running now: it is alive up to `now`.
  auto runs = impl_->db.prepare(
      "SELECT started_at, coalesce(stopped_at, last_alive), stopped_at IS NULL FROM runs "
      "WHERE coalesce(stopped_at, last_alive) >= ?1 - ?2 AND started_at <= ?3 "
      "ORDER BY started_at");
  if (!runs) return runs.error().context(impl_->path);
  const auto slack_ms = std::chrono::milliseconds(kAliveSlack).count();
  runs->bind(1, unix_ms(since)).bind(2, slack_ms).bind(3, unix_ms(now));
  std::vector<AliveSpan> alive;
  for (;;) {
    auto row = runs->step();
    if (!row) return row.error().context(impl_->path);
    if (!*row) break;
    AliveSpan span{from_ms(runs->int64(0)), from_ms(runs->int64(1))};
    if (runs->int64(2) != 0 && now - span.end <= kAliveSlack && now > span.end) span.end = now;
    // Runs never overlap in time; if the wall clock stepped back they can: clip to the previous.
    if (!alive.empty() && span.start < alive.back().end) span.start = alive.back().end;
    if (span.end > span.start) alive.push_back(span);
  }
  for (const AliveSpan& s : alive) {
    report.runs.push_back({std::max(s.start, since), std::min(s.end, now)});
  }
  if (alive.empty()) return report;
  // Status events from the start of the first relevant run (the state carried into the window
  // comes from inside the same run).
  auto events = impl_->db.prepare(
      "SELECT e.peer_id, e.ts, e.status, e.reason, p.interface, p.key, p.name "
      "FROM events e JOIN peers p ON p.id = e.peer_id "
      "WHERE e.ts >= ?1 AND e.ts <= ?2 AND e.type IN ('initial_status', 'status_change', "
      "'peer_added', 'peer_removed') ORDER BY p.interface, p.key, e.ts, e.id");
  if (!events) return events.error().context(impl_->path);
  events->bind(1, unix_ms(alive.front().start)).bind(2, unix_ms(now));
  std::int64_t current = -1;
  std::vector<StatusPoint> points;
  PeerUptimeRow peer;
  auto finish = [&] {
    if (current < 0) return;
    peer.uptime = compute_uptime(points, alive, report.window);
    // A peer that was absent the whole window (removed long ago) is not worth a line.
    if (peer.uptime.up + peer.uptime.down + peer.uptime.never > std::chrono::nanoseconds(0)) {
      report.peers.push_back(std::move(peer));
    }
    points.clear();
    peer = {};
  };
  for (;;) {
    auto row = events->step();
    if (!row) return row.error().context(impl_->path);
    if (!*row) break;
    const std::int64_t id = events->int64(0);
    if (id != current) {
      finish();
      current = id;
      peer.interface = events->text(4);
      peer.key = events->text(5);
      peer.name = events->text(6);
    }
    points.push_back({from_ms(events->int64(1)), events->text(2), events->text(3)});
  }
  finish();
  return report;
}

}  // namespace wgtrack
