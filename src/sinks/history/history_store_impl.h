// Internal: HistoryStore's state, shared by its .cc files (schema/open, writes, queries).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "sinks/history/history_store.h"
#include "sinks/history/sqlite_db.h"

namespace wgtrack {

struct HistoryStore::Impl {
  std::string path;
  SqliteDb db;
  bool read_only = false;
  std::int64_t run_id = 0;  // 0: no run begun
  // Writer side: CounterBook slot -> peers.id, and interface\nkey -> peers.id for events.
  // slot_ids entries are 0 until resolved; a rolled-back transaction zeroes them all, and
  // slot_peers (what each slot was announced as) lets the next write resolve them again.
  std::vector<std::int64_t> slot_ids;
  std::vector<PeerAnnouncement> slot_peers;
  std::unordered_map<std::string, std::int64_t> peer_ids;
  // Prepared once (writer side).
  SqliteStmt upsert_peer, insert_event, upsert_minute, upsert_hour, update_totals, heartbeat;

  Result<void> prepare_writes();
  Result<std::int64_t> peer_id(const std::string& interface, const std::string& key,
                               const std::string& name, WallTime seen);
  Result<std::int64_t> slot_id(std::uint32_t slot);
  Result<void> write_one(const HistoryBatch& batch);
  void forget_ids();
};

// Schema creation and migrations (history_schema.cc).
Result<void> migrate_history_schema(SqliteDb& db, const std::string& path);

inline std::int64_t unix_ms(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline std::int64_t unix_s(WallTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline WallTime from_ms(std::int64_t ms) { return WallTime(std::chrono::milliseconds(ms)); }
inline WallTime from_s(std::int64_t s) { return WallTime(std::chrono::seconds(s)); }

}  // namespace wgtrack
