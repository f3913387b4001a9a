// HistoryStore::maintain: retention, then the size bound.
#include <array>
#include <utility>

#include "sinks/history/history_store.h"
#include "sinks/history/history_store_impl.h"
#include "sinks/history/retention.h"

namespace wgtrack {
namespace {

Result<void> run(SqliteDb& db, const char* sql, std::int64_t a) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  stmt->bind(1, a);
  return stmt->run();
}

// Deletes the oldest `fraction` of a table's rows (by its time column).
Result<void> trim_oldest(SqliteDb& db, const std::string& table, const std::string& column,
                         double fraction) {
  auto count = db.query_int(("SELECT count(*) FROM " + table).c_str());
  if (!count) return count.error();
  const auto n = static_cast<std::int64_t>(static_cast<double>(*count) * fraction);
  if (n <= 0) return success();
  // The time at rank n: everything older goes (ties at that time stay; the next round may take
  // them).
  auto cut = db.prepare("SELECT " + column + " FROM " + table + " ORDER BY " + column +
                        " LIMIT 1 OFFSET ?1");
  if (!cut) return cut.error();
  cut->bind(1, n);
  auto row = cut->step();
  if (!row) return row.error();
  const std::int64_t before = *row ? cut->int64(0) : INT64_MAX;
  cut->reset();
  auto oldest = db.query_int(("SELECT min(" + column + ") FROM " + table).c_str());
  if (!oldest) return oldest.error();
  // All of the oldest n share one time: take that time whole, or nothing would ever go.
  const char* op = *oldest >= before ? " <= ?1" : " < ?1";
  return run(db, ("DELETE FROM " + table + " WHERE " + column + op).c_str(), before);
}

}  // namespace

Result<void> HistoryStore::maintain(const HistoryOptions& options, WallTime now) {
  SqliteDb& db = impl_->db;
  const RetentionCutoffs cut = retention_cutoffs(options, now);
  // Samples per peer: the (peer_id, t) primary key makes each delete a range, where one
  // DELETE ... WHERE t < ? would scan the whole table.
  auto ids = db.prepare("SELECT id FROM peers");
  if (!ids) return ids.error().context(impl_->path);
  std::vector<std::int64_t> peer_ids;
  for (;;) {
    auto row = ids->step();
    if (!row) return row.error().context(impl_->path);
    if (!*row) break;
    peer_ids.push_back(ids->int64(0));
  }
  auto del_minute = db.prepare("DELETE FROM samples_minute WHERE peer_id = ?1 AND t < ?2");
  auto del_hour = db.prepare("DELETE FROM samples_hour WHERE peer_id = ?1 AND t < ?2");
  if (!del_minute) return del_minute.error().context(impl_->path);
  if (!del_hour) return del_hour.error().context(impl_->path);
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r.error().context(impl_->path);
  auto body = [&]() -> Result<void> {
    for (std::int64_t id : peer_ids) {
      if (auto r = del_minute->bind(1, id).bind(2, cut.minutes).run(); !r) return r;
      if (auto r = del_hour->bind(1, id).bind(2, cut.hours).run(); !r) return r;
    }
    const std::int64_t events_ms = cut.events * 1000;
    if (auto r = run(db, "DELETE FROM events WHERE ts < ?1", events_ms); !r) return r;
    if (auto r = run(db, "DELETE FROM runs WHERE last_alive < ?1", events_ms); !r) return r;
    // A peer with nothing left that refers to it, unseen for the longest retention, goes too.
    if (auto r = run(db,
                     "DELETE FROM peers WHERE last_seen < ?1 AND "
                     "NOT EXISTS (SELECT 1 FROM events WHERE peer_id = peers.id) AND "
                     "NOT EXISTS (SELECT 1 FROM samples_hour WHERE peer_id = peers.id)",
                     std::min(cut.hours, cut.events));
        !r) {
      return r;
    }
    return success();
  };
  if (auto r = body(); !r) {
    (void)db.exec("ROLLBACK");
    return r.error().context(impl_->path);
  }
  if (auto r = db.exec("COMMIT"); !r) {
    (void)db.exec("ROLLBACK");
    return r.error().context(impl_->path);
  }
  impl_->forget_ids();  // a deleted peer's id must not be reused from the cache
  // The size bound. The finest data goes first: the oldest minute rows (the bulk at many
  // peers), then the oldest hour rows, and events last (they are what `wgtrack events` and
  // `uptime` need). A bounded number of rounds; what is left over waits for the next run.
  static constexpr std::array<std::pair<const char*, const char*>, 3> kTrimOrder = {
      {{"samples_minute", "t"}, {"samples_hour", "t"}, {"events", "ts"}}};
  for (int round = 0; round < 16; ++round) {
    auto live = live_bytes();
    if (!live) return live.error();
    const double fraction = overflow_trim_fraction(*live, options.max_size);
    if (fraction <= 0) break;
    const char* table = nullptr;
    const char* column = nullptr;
    for (const auto& [t, c] : kTrimOrder) {
      auto rows = db.query_int((std::string("SELECT count(*) FROM ") + t).c_str());
      if (!rows) return rows.error().context(impl_->path);
      if (*rows > 0) {
        table = t;
        column = c;
        break;
      }
    }
    if (!table) break;  // nothing left to delete: peers and runs alone are over the bound
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r.error().context(impl_->path);
    if (auto r = trim_oldest(db, table, column, fraction); !r) {
      (void)db.exec("ROLLBACK");
      return r.error().context(impl_->path + ": trimming to max_size");
    }
    if (auto r = db.exec("COMMIT"); !r) return r.error().context(impl_->path);
    if (auto r = db.exec("PRAGMA incremental_vacuum"); !r) return r.error().context(impl_->path);
  }
  // Give freed pages back to the file system and fold the WAL into the file.
  if (auto r = db.exec("PRAGMA incremental_vacuum"); !r) return r.error().context(impl_->path);
  if (auto r = db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); !r) {
    return r.error().context(impl_->path);
  }
  return success();
}

}  // namespace wgtrack
