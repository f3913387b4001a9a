#include "sinks/history/history_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "sinks/history/history_store_impl.h"
#include "sinks/history/retention.h"

namespace wgtrack {
namespace {

Result<void> check_directory(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) return success();
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kNotFound, path + ": directory " + dir.string() + " does not exist");
  }
  return success();
}

}  // namespace

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryStore::~HistoryStore() = default;
HistoryStore::HistoryStore(HistoryStore&&) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&&) noexcept = default;

Result<HistoryStore> HistoryStore::open(const std::string& path) {
  if (path.empty()) return Error(ErrorCode::kInvalidInput, "history path is empty");
  if (auto r = check_directory(path); !r) return r.error();
  auto db = SqliteDb::open(path, SqliteDb::Mode::kReadWriteCreate);
  if (!db) return db.error();
  if (auto r = migrate_history_schema(*db, path); !r) return r.error();
  // WAL: the CLI and the dashboard read while the writer writes. journal_mode answers with the
  // mode it got; anything but "wal" (e.g. a file system without shared memory) is an error we
  // report rather than run in a mode we did not test.
  {
    auto stmt = db->prepare("PRAGMA journal_mode=WAL");
    if (!stmt) return stmt.error().context(path);
    auto row = stmt->step();
    if (!row) return row.error().context(path);
    if (!*row || stmt->text(0) != "wal") {
      return Error(ErrorCode::kUnsupported, path + ": cannot switch the database to WAL mode");
    }
  }
  if (auto r = db->exec("PRAGMA synchronous=NORMAL"); !r) return r.error().context(path);
  // A write probe: a read-only file or directory shows up now, not at the first batch.
  if (auto r = db->exec("BEGIN IMMEDIATE; COMMIT"); !r) return r.error().context(path);
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->db = std::move(*db);
  if (auto r = impl->prepare_writes(); !r) return r.error().context(path);
  return HistoryStore(std::move(impl));
}

Result<HistoryStore> HistoryStore::open_read_only(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error(ErrorCode::kNotFound, path + ": no history database (is [history] enabled?)");
  }
  auto db = SqliteDb::open(path, SqliteDb::Mode::kReadOnly);
  if (!db) return db.error();
  auto version = db->query_int("PRAGMA user_version");
  if (!version) return version.error().context(path);
  if (*version < kHistoryOldestReadableSchema || *version > kHistorySchemaVersion) {
    return Error(ErrorCode::kUnsupported,
                 path + ": history schema version " + std::to_string(*version) +
                     ", this wgtrack reads " + std::to_string(kHistoryOldestReadableSchema) +
                     " to " + std::to_string(kHistorySchemaVersion));
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->db = std::move(*db);
  impl->read_only = true;
  return HistoryStore(std::move(impl));
}

Result<void> HistoryStore::Impl::prepare_writes() {
  auto prep = [this](SqliteStmt& into, const char* sql) -> Result<void> {
    auto s = db.prepare(sql);
    if (!s) return s.error();
    into = std::move(*s);
    return success();
  };
  for (
      auto r : {
          prep(upsert_peer,
               "INSERT INTO peers(interface, key, name, first_seen, last_seen) "
               "VALUES(?1, ?2, ?3, ?4, ?4) ON CONFLICT(interface, key) DO UPDATE SET "
               "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END, "
               "last_seen = max(last_seen, excluded.last_seen) RETURNING id"),
          prep(insert_event,
               "INSERT INTO events(ts, type, peer_id, interface, key, name, old_status, status, "
               "endpoint, old_endpoint, reason) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
          prep(
              upsert_minute,
              "INSERT INTO samples_minute(peer_id, t, rx, tx) VALUES(?1, ?2, ?3, ?4) "
              "ON CONFLICT(peer_id, t) DO UPDATE SET rx = rx + excluded.rx, tx = tx + excluded.tx"),
          prep(
              upsert_hour,
              "INSERT INTO samples_hour(peer_id, t, rx, tx) VALUES(?1, ?2, ?3, ?4) "
              "ON CONFLICT(peer_id, t) DO UPDATE SET rx = rx + excluded.rx, tx = tx + excluded.tx"),
          prep(update_totals,
               "UPDATE peers SET rx_total = ?2, tx_total = ?3, rx_last = ?4, tx_last = ?5, "
               "last_seen = max(last_seen, ?6) WHERE id = ?1"),
          prep(heartbeat,
               "UPDATE runs SET last_alive = max(last_alive, ?2), stopped_at = ?3 WHERE id = ?1"),
      }) {
    if (!r) return r;
  }
  return success();
}

Result<std::vector<CounterSeed>> HistoryStore::load_seeds() {
  auto stmt = impl_->db.prepare(
      "SELECT interface, key, rx_total, tx_total, rx_last, tx_last FROM peers ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<CounterSeed> seeds;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error().context(impl_->path);
    if (!*row) break;
    CounterSeed s;
    s.interface = stmt->text(0);
    s.key = stmt->text(1);
    s.rx_total = static_cast<std::uint64_t>(stmt->int64(2));
    s.tx_total = static_cast<std::uint64_t>(stmt->int64(3));
    if (!stmt->is_null(4)) s.rx_last = static_cast<std::uint64_t>(stmt->int64(4));
    if (!stmt->is_null(5)) s.tx_last = static_cast<std::uint64_t>(stmt->int64(5));
    seeds.push_back(std::move(s));
  }
  return seeds;
}

Result<void> HistoryStore::begin_run(WallTime now) {
  auto stmt = impl_->db.prepare("INSERT INTO runs(started_at, last_alive) VALUES(?1, ?1)");
  if (!stmt) return stmt.error();
  stmt->bind(1, unix_ms(now));
  if (auto r = stmt->run(); !r) return r.error().context(impl_->path);
  impl_->run_id = sqlite3_last_insert_rowid(impl_->db.handle());
  return success();
}

Result<std::int64_t> HistoryStore::Impl::peer_id(const std::string& interface,
                                                 const std::string& key, const std::string& name,
                                                 WallTime seen) {
  upsert_peer.bind(1, interface).bind(2, key).bind(3, name).bind(4, unix_s(seen));
  auto row = upsert_peer.step();
  if (!row) return row.error();
  const std::int64_t id = *row ? upsert_peer.int64(0) : 0;
  upsert_peer.reset();
  if (id == 0) return Error(ErrorCode::kPermanent, "peer upsert returned no id");
  return id;
}

Result<std::int64_t> HistoryStore::Impl::slot_id(std::uint32_t slot) {
  if (slot >= slot_ids.size() || slot_peers[slot].key.empty()) {
    return Error(ErrorCode::kInvalidInput, "bucket row for an unannounced peer slot");
  }
  if (slot_ids[slot] != 0) return slot_ids[slot];
  const PeerAnnouncement& p = slot_peers[slot];
  auto id = peer_id(p.interface, p.key, p.name, p.seen);
  if (!id) return id.error();
  slot_ids[slot] = *id;
  return *id;
}

void HistoryStore::Impl::forget_ids() {
  std::fill(slot_ids.begin(), slot_ids.end(), 0);
  peer_ids.clear();
}

Result<void> HistoryStore::Impl::write_one(const HistoryBatch& batch) {
  for (const PeerAnnouncement& p : batch.counters.peers) {
    auto id = peer_id(p.interface, p.key, p.name, p.seen);
    if (!id) return id.error();
    if (slot_ids.size() <= p.slot) {
      slot_ids.resize(p.slot + 1, 0);
      slot_peers.resize(p.slot + 1);
    }
    slot_ids[p.slot] = *id;
    slot_peers[p.slot] = p;
    peer_ids[p.interface + '\n' + p.key] = *id;
  }
  for (const Event& e : batch.events) {
    const std::string key = e.peer.to_base64();
    std::int64_t id;
    if (auto it = peer_ids.find(e.interface + '\n' + key); it != peer_ids.end()) {
      id = it->second;
    } else {
      auto r = peer_id(e.interface, key, e.name, e.timestamp);
      if (!r) return r.error();
      id = *r;
      peer_ids[e.interface + '\n' + key] = id;
    }
    insert_event.bind(1, unix_ms(e.timestamp))
        .bind(2, to_string(e.type))
        .bind(3, id)
        .bind(4, e.interface)
        .bind(5, key)
        .bind(6, e.name)
        .bind(7, e.old_status)
        .bind(8, e.status)
        .bind(9, e.endpoint ? e.endpoint->to_string() : std::string())
        .bind(10, e.old_endpoint ? e.old_endpoint->to_string() : std::string())
        .bind(11, e.reason);
    if (auto r = insert_event.run(); !r) return r;
  }
  for (const BucketRow& row : batch.counters.rows) {
    auto slot = slot_id(row.slot);
    if (!slot) return slot.error();
    const std::int64_t id = *slot;
    const auto rx = static_cast<std::int64_t>(row.rx), tx = static_cast<std::int64_t>(row.tx);
    upsert_minute.bind(1, id).bind(2, row.start).bind(3, rx).bind(4, tx);
    if (auto r = upsert_minute.run(); !r) return r;
    // Hourly rows are kept up to date with each minute (not rolled up later), so a restart or
    // a crash never loses the roll-up and retention can drop minutes independently.
    const std::int64_t hour = row.start - ((row.start % 3600) + 3600) % 3600;
    upsert_hour.bind(1, id).bind(2, hour).bind(3, rx).bind(4, tx);
    if (auto r = upsert_hour.run(); !r) return r;
    update_totals.bind(1, id)
        .bind(2, static_cast<std::int64_t>(row.rx_total))
        .bind(3, static_cast<std::int64_t>(row.tx_total))
        .bind(4, static_cast<std::int64_t>(row.rx_last))
        .bind(5, static_cast<std::int64_t>(row.tx_last))
        .bind(6, unix_s(row.last_seen));
    if (auto r = update_totals.run(); !r) return r;
  }
  if (run_id != 0) {
    heartbeat.bind(1, run_id).bind(2, unix_ms(batch.now));
    if (batch.stopping) {
      heartbeat.bind(3, unix_ms(batch.now));
    } else {
      heartbeat.bind_null(3);
    }
    if (auto r = heartbeat.run(); !r) return r;
  }
  return success();
}

Result<void> HistoryStore::write(const std::vector<HistoryBatch>& batches) {
  if (impl_->read_only) return Error(ErrorCode::kPermissionDenied, "history opened read-only");
  if (auto r = impl_->db.exec("BEGIN IMMEDIATE"); !r) return r.error().context(impl_->path);
  for (const HistoryBatch& batch : batches) {
    if (auto r = impl_->write_one(batch); !r) {
      (void)impl_->db.exec("ROLLBACK");
      // Peers inserted by the rolled-back transaction are gone: resolve ids again next time.
      impl_->forget_ids();
      return r.error().context(impl_->path);
    }
  }
  if (auto r = impl_->db.exec("COMMIT"); !r) {
    (void)impl_->db.exec("ROLLBACK");
    impl_->forget_ids();
    return r.error().context(impl_->path);
  }
  return success();
}

Result<std::uint64_t> HistoryStore::live_bytes() {
  auto pages = impl_->db.query_int("PRAGMA page_count");
  auto free_pages = impl_->db.query_int("PRAGMA freelist_count");
  auto page_size = impl_->db.query_int("PRAGMA page_size");
  if (!pages) return pages.error().context(impl_->path);
  if (!free_pages) return free_pages.error().context(impl_->path);
  if (!page_size) return page_size.error().context(impl_->path);
  return static_cast<std::uint64_t>((*pages - *free_pages) * *page_size);
}

}  // namespace wgtrack
