// The history schema and its migrations. A migration is appended, never edited: a database
// at version N gets kMigrations[N..] applied in one transaction.
#include <array>
#include <string>

#include "sinks/history/history_store_impl.h"

namespace wgtrack {
namespace {

constexpr std::array<const char*, kHistorySchemaVersion> kMigrations = {
    // 0 -> 1
    R"sql(
CREATE TABLE peers(
  id INTEGER PRIMARY KEY,
  interface TEXT NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  rx_total INTEGER NOT NULL DEFAULT 0,
  tx_total INTEGER NOT NULL DEFAULT 0,
  rx_last INTEGER,
  tx_last INTEGER,
  UNIQUE(interface, key));
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  peer_id INTEGER,
  interface TEXT NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  old_status TEXT NOT NULL,
  status TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  old_endpoint TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX events_ts ON events(ts);
CREATE INDEX events_peer_ts ON events(peer_id, ts);
CREATE TABLE samples_minute(
  peer_id INTEGER NOT NULL, t INTEGER NOT NULL, rx INTEGER NOT NULL, tx INTEGER NOT NULL,
  PRIMARY KEY(peer_id, t)) WITHOUT ROWID;
CREATE TABLE samples_hour(
  peer_id INTEGER NOT NULL, t INTEGER NOT NULL, rx INTEGER NOT NULL, tx INTEGER NOT NULL,
  PRIMARY KEY(peer_id, t)) WITHOUT ROWID;
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  last_alive INTEGER NOT NULL,
  stopped_at INTEGER);
)sql",
    // 1 -> 2: the API's per-peer history finds a peer by key alone (UNIQUE(interface, key)
    // cannot serve that: key is its second column).
    R"sql(
CREATE INDEX peers_key ON peers(key, last_seen);
)sql",
};

}  // namespace

Result<void> migrate_history_schema(SqliteDb& db, const std::string& path) {
  // The first read of the file: garbage or a truncated header fails here (SQLITE_NOTADB).
  auto version = db.query_int("PRAGMA user_version");
  if (!version) return version.error().context(path);
  if (*version > kHistorySchemaVersion) {
    return Error(ErrorCode::kUnsupported, path + ": history schema version " +
                                              std::to_string(*version) +
                                              " is newer than this wgtrack's (" +
                                              std::to_string(kHistorySchemaVersion) + ")");
  }
  if (*version == kHistorySchemaVersion) return success();
  if (*version == 0) {
    // Only takes effect before the first table exists (SQLite: auto_vacuum is fixed at
    // creation unless a VACUUM follows).
    if (auto r = db.exec("PRAGMA auto_vacuum=INCREMENTAL"); !r) return r.error().context(path);
  }
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r.error().context(path);
  for (auto v = *version; v < kHistorySchemaVersion; ++v) {
    if (auto r = db.exec(kMigrations[static_cast<std::size_t>(v)]); !r) {
      (void)db.exec("ROLLBACK");
      return r.error().context(path + ": migrating the history schema");
    }
  }
  const std::string set = "PRAGMA user_version=" + std::to_string(kHistorySchemaVersion);
  if (auto r = db.exec(set.c_str()); !r) {
    (void)db.exec("ROLLBACK");
    return r.error().context(path);
  }
  if (auto r = db.exec("COMMIT"); !r) {
    (void)db.exec("ROLLBACK");
    return r.error().context(path);
  }
  return success();
}

}  // namespace wgtrack
