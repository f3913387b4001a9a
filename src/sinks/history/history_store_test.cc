#include "sinks/history/history_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "events/event_json.h"
#include "sinks/history/history_test_util.h"
#include "sinks/history/sqlite_db.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::counter_peer;
using testing::counter_snapshot;
using testing::status_event;
using testing::TempDir;

const WallTime kT0 = WallTime(1763769600s);  // an hour boundary

std::string journal_mode(const std::string& path) {
  auto db = SqliteDb::open(path, SqliteDb::Mode::kReadOnly);
  auto stmt = db->prepare("PRAGMA journal_mode");
  EXPECT_TRUE(*stmt->step());
  return stmt->text(0);
}

TEST(HistoryStore, CreatesASchemaInWalMode) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  {
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store.ok()) << store.error().message;
  }
  EXPECT_EQ(journal_mode(path), "wal");
  auto db = SqliteDb::open(path, SqliteDb::Mode::kReadOnly);
  EXPECT_EQ(*db->query_int("PRAGMA user_version"), kHistorySchemaVersion);
  EXPECT_EQ(*db->query_int("PRAGMA auto_vacuum"), 2);  // incremental
  // Reopening an existing, current database is a no-op migration.
  EXPECT_TRUE(HistoryStore::open(path).ok());
}

TEST(HistoryStore, AVersionOneDatabaseGetsThePeerKeyIndex) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  ASSERT_TRUE(HistoryStore::open(path).ok());
  {  // what a wgtrack of schema 1 left behind
    auto db = SqliteDb::open(path, SqliteDb::Mode::kReadWriteCreate);
    ASSERT_TRUE(db->exec("DROP INDEX peers_key").ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version=1").ok());
  }
  {  // the CLI reads it before the daemon has restarted and migrated it
    auto ro = HistoryStore::open_read_only(path);
    ASSERT_TRUE(ro.ok()) << ro.error().message;
    EXPECT_TRUE(ro->peer("K").ok());
  }
  ASSERT_TRUE(HistoryStore::open(path).ok());
  auto db = SqliteDb::open(path, SqliteDb::Mode::kReadOnly);
  EXPECT_EQ(*db->query_int("PRAGMA user_version"), 2);
  EXPECT_EQ(*db->query_int("SELECT count(*) FROM sqlite_master WHERE name = 'peers_key'"), 1);
  auto plan = db->prepare("EXPLAIN QUERY PLAN SELECT id FROM peers WHERE key = 'K'");
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(*plan->step());
  EXPECT_THAT(plan->text(3), ::testing::HasSubstr("peers_key"));
}

TEST(HistoryStore, ANewerSchemaIsRefusedEvenForReading) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  ASSERT_TRUE(HistoryStore::open(path).ok());
  {
    auto db = SqliteDb::open(path, SqliteDb::Mode::kReadWriteCreate);
    ASSERT_TRUE(db->exec("PRAGMA user_version=99").ok());
  }
  auto ro = HistoryStore::open_read_only(path);
  ASSERT_FALSE(ro.ok());
  EXPECT_EQ(ro.error().code, ErrorCode::kUnsupported);
  EXPECT_THAT(ro.error().message, ::testing::HasSubstr("version 99"));
  EXPECT_FALSE(HistoryStore::open(path).ok());
}

TEST(HistoryStore, PeerByKeyIsTheOneSeenLast) {
  TempDir dir;
  auto store = HistoryStore::open(dir.file("h.db"));
  ASSERT_TRUE(store.ok());
  HistoryBatch b;  // the same key on two interfaces; wg1 saw it later
  b.counters.peers.push_back({.slot = 0, .interface = "wg0", .key = "K", .name = "a", .seen = kT0});
  b.counters.peers.push_back(
      {.slot = 1, .interface = "wg1", .key = "K", .name = "b", .seen = kT0 + 60s});
  b.counters.peers.push_back({.slot = 2, .interface = "wg0", .key = "L", .name = "", .seen = kT0});
  ASSERT_TRUE(store->write({b}).ok());
  auto k = store->peer("K");
  ASSERT_TRUE(k.ok()) << k.error().message;
  ASSERT_TRUE(k->has_value());
  EXPECT_EQ((*k)->interface, "wg1");
  EXPECT_EQ((*k)->name, "b");
  auto none = store->peer("M");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(HistoryStore, ReopenKeepsEventsAndTotals) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  {
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->begin_run(kT0).ok());
    CounterBook book;
    HistoryBatch batch;
    batch.events.push_back(status_event(EventType::kInitialStatus, kT0, 1, "office", "", "up"));
    book.observe(counter_snapshot(kT0, {counter_peer(1, 1000, 2000, "office")}), batch.counters);
    book.observe(counter_snapshot(kT0 + 30s, {counter_peer(1, 1500, 2600, "office")}),
                 batch.counters);
    book.close_all(batch.counters);
    batch.now = kT0 + 30s;
    ASSERT_TRUE(store->write({batch}).ok());
  }
  // The daemon restarts: the stored totals come back as seeds.
  auto store = HistoryStore::open(path);
  ASSERT_TRUE(store.ok());
  auto seeds = store->load_seeds();
  ASSERT_TRUE(seeds.ok());
  ASSERT_EQ(seeds->size(), 1u);
  EXPECT_EQ((*seeds)[0].rx_total, 500u);
  EXPECT_EQ((*seeds)[0].tx_total, 600u);
  EXPECT_EQ((*seeds)[0].rx_last, 1500u);
  auto events = store->query_events({.since = kT0 - 1h});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, "initial_status");
  EXPECT_EQ((*events)[0].name, "office");
  EXPECT_THAT((*events)[0].json, ::testing::HasSubstr("\"status\":\"up\""));
  auto peers = store->peers();
  ASSERT_EQ(peers->size(), 1u);
  EXPECT_EQ((*peers)[0].name, "office");
  auto minutes = store->samples((*peers)[0].id, 60s, kT0 - 1h);
  ASSERT_EQ(minutes->size(), 1u);
  EXPECT_EQ((*minutes)[0].rx, 500u);
}

TEST(HistoryStore, StoredEventsGiveBackTheSameJson) {
  TempDir dir;
  auto store = HistoryStore::open(dir.file("h.db"));
  ASSERT_TRUE(store.ok());
  Event e = status_event(EventType::kEndpointChanged, kT0 + 1234ms, 3, "branch \"x\"\n", "up", "up",
                         "failover");
  e.endpoint = *Endpoint::parse("[2001:db8::1]:51820");
  e.old_endpoint = *Endpoint::parse("192.0.2.1:51821");
  Event down = status_event(EventType::kStatusChange, kT0 + 2s, 3, "", "up", "down", "rx silent");
  HistoryBatch batch;
  batch.events = {e, down};
  ASSERT_TRUE(store->write({batch}).ok());
  const auto events = *store->query_events({.since = kT0});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].json, event_json(e));
  EXPECT_EQ(events[1].json, event_json(down));
  EXPECT_EQ(events[0].old_endpoint, "192.0.2.1:51821");
}

TEST(HistoryStore, BucketsWrittenTwiceAddUpAndRollUpToHours) {
  TempDir dir;
  auto store = HistoryStore::open(dir.file("h.db"));
  ASSERT_TRUE(store.ok());
  HistoryBatch a;
  a.counters.peers.push_back({.slot = 0, .interface = "wg0", .key = "K", .name = "", .seen = kT0});
  a.counters.rows.push_back(
      {.slot = 0, .start = kT0.time_since_epoch().count() / 1'000'000'000, .rx = 10, .tx = 1});
  HistoryBatch b;  // the same minute again (e.g. cut by a restart), and the next one
  b.counters.rows.push_back(a.counters.rows[0]);
  b.counters.rows.push_back(a.counters.rows[0]);
  b.counters.rows.back().start += 60;
  ASSERT_TRUE(store->write({a, b}).ok());
  auto peers = store->peers();
  const auto minutes = *store->samples((*peers)[0].id, 60s, kT0);
  ASSERT_EQ(minutes.size(), 2u);
  EXPECT_EQ(minutes[0].rx, 20u);
  EXPECT_EQ(minutes[1].rx, 10u);
  const auto hours = *store->samples((*peers)[0].id, 3600s, kT0);
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0].rx, 30u);
  EXPECT_EQ(hours[0].tx, 3u);
}

TEST(HistoryStore, RetentionDeletesOldRows) {
  TempDir dir;
  auto store = HistoryStore::open(dir.file("h.db"));
  ASSERT_TRUE(store.ok());
  const std::int64_t t0 = 1763769600;
  HistoryBatch batch;
  batch.counters.peers.push_back({.slot = 0, .interface = "wg0", .key = "K", .seen = kT0});
  // Minute rows every 10 minutes over 3 days, back from t0.
  for (std::int64_t t = t0 - 3 * 86400; t < t0; t += 600) {
    batch.counters.rows.push_back({.slot = 0, .start = t, .rx = 1, .tx = 1});
  }
  batch.events.push_back(status_event(EventType::kStatusChange, kT0 - 48h, 1, "", "up", "down"));
  batch.events.push_back(status_event(EventType::kStatusChange, kT0 - 1h, 1, "", "down", "up"));
  ASSERT_TRUE(store->write({batch}).ok());
  HistoryOptions o;
  o.retention_minutes = 24h;
  o.retention_hours = 48h;
  o.retention_events = 24h;
  ASSERT_TRUE(store->maintain(o, kT0).ok());
  auto peers = store->peers();
  ASSERT_EQ(peers->size(), 2u);  // "K" of the samples, and the events' peer
  const auto k = std::find_if(peers->begin(), peers->end(), [](auto& p) { return p.key == "K"; });
  ASSERT_NE(k, peers->end());
  const auto minutes = *store->samples(k->id, 60s, WallTime{});
  ASSERT_FALSE(minutes.empty());
  EXPECT_EQ(minutes.front().t, t0 - 86400);
  EXPECT_EQ(minutes.size(), 144u);
  const auto hours = *store->samples(k->id, 3600s, WallTime{});
  EXPECT_EQ(hours.front().t, t0 - 48 * 3600);
  EXPECT_EQ(hours.size(), 48u);
  const auto events = *store->query_events({.since = WallTime{}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].status, "up");
}

TEST(HistoryStore, MaxSizeTrimsTheOldestRows) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  auto store = HistoryStore::open(path);
  ASSERT_TRUE(store.ok());
  HistoryBatch batch;
  for (std::uint32_t p = 0; p < 50; ++p) {
    batch.counters.peers.push_back(
        {.slot = p, .interface = "wg0", .key = "K" + std::to_string(p), .seen = kT0});
    for (std::int64_t m = 0; m < 600; ++m) {
      batch.counters.rows.push_back(
          {.slot = p, .start = 1763769600 - 36000 + m * 60, .rx = 123456789, .tx = 98765});
    }
  }
  ASSERT_TRUE(store->write({batch}).ok());
  const std::uint64_t before = *store->live_bytes();
  HistoryOptions o;
  o.max_size = before / 2;
  ASSERT_TRUE(store->maintain(o, kT0).ok());
  const std::uint64_t after = *store->live_bytes();
  EXPECT_LE(after, o.max_size);
  // Minute rows go first, oldest first: the newest minute is still there, and the hour rows
  // (ten hours of them) are untouched.
  auto peers = store->peers();
  const auto minutes = *store->samples((*peers)[0].id, 60s, WallTime{});
  ASSERT_FALSE(minutes.empty());
  EXPECT_EQ(minutes.back().t, 1763769600 - 60);
  EXPECT_GT(minutes.front().t, 1763769600 - 36000);
  EXPECT_EQ(store->samples((*peers)[0].id, 3600s, WallTime{})->size(), 10u);
  // auto_vacuum gave the pages back: the file shrank too.
  EXPECT_LE(std::filesystem::file_size(path), before);
}

TEST(HistoryStore, AGarbageFileIsAClearErrorNotACrash) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 512; ++i) out << "this is not a database, ";
  }
  auto store = HistoryStore::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kProtocol);
  EXPECT_THAT(store.error().message, ::testing::HasSubstr(path));
  EXPECT_THAT(store.error().message, ::testing::HasSubstr("not a database"));
  EXPECT_FALSE(HistoryStore::open_read_only(path).ok());
}

TEST(HistoryStore, ADamagedDatabaseIsReported) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  {
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store.ok());
    HistoryBatch batch;
    for (int i = 0; i < 2000; ++i) {
      batch.events.push_back(status_event(EventType::kStatusChange, kT0 + std::chrono::seconds(i),
                                          1, "n", "up", "down", std::string(100, 'r')));
    }
    ASSERT_TRUE(store->write({batch}).ok());
    ASSERT_TRUE(store->maintain({}, kT0).ok());  // checkpoints the WAL into the file
  }
  {
    // Scribble over the middle of the file (pages of the events table and its indexes).
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(8192);
    for (int i = 0; i < 16384; ++i) f.put(static_cast<char>(0xA5));
  }
  auto store = HistoryStore::open(path);
  Result<void> outcome = success();
  if (!store.ok()) {
    outcome = store.error();
  } else {
    auto events = store->query_events({.since = WallTime{}, .limit = 100000});
    if (!events) outcome = events.error();
  }
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kProtocol) << outcome.error().message;
}

TEST(HistoryStore, AnUnwritablePathIsAnError) {
  TempDir dir;
  auto missing = HistoryStore::open(dir.file("no/such/dir/h.db"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  // A directory nobody can create files in (not even root).
  auto proc = HistoryStore::open("/proc/wgtrack-history.db");
  ASSERT_FALSE(proc.ok());
  EXPECT_EQ(proc.error().code, ErrorCode::kPermissionDenied) << proc.error().message;
  EXPECT_THAT(proc.error().message, ::testing::HasSubstr("/proc/wgtrack-history.db"));
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  std::filesystem::create_directory(dir.path() / "ro");
  std::filesystem::permissions(
      dir.path() / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto ro = HistoryStore::open(dir.file("ro/h.db"));
  ASSERT_FALSE(ro.ok());
  EXPECT_EQ(ro.error().code, ErrorCode::kPermissionDenied) << ro.error().message;
}

TEST(HistoryStore, ANewerSchemaIsRefused) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  ASSERT_TRUE(HistoryStore::open(path).ok());
  {
    auto db = SqliteDb::open(path, SqliteDb::Mode::kReadWriteCreate);
    ASSERT_TRUE(db->exec("PRAGMA user_version=99").ok());
  }
  auto store = HistoryStore::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnsupported);
}

TEST(HistoryStore, QueryEventsFiltersByPeerNameOrKeyAndLimits) {
  TempDir dir;
  auto store = HistoryStore::open(dir.file("h.db"));
  ASSERT_TRUE(store.ok());
  HistoryBatch batch;
  for (int i = 0; i < 10; ++i) {
    batch.events.push_back(status_event(EventType::kStatusChange, kT0 + std::chrono::seconds(i),
                                        static_cast<std::uint8_t>(i % 2), i % 2 ? "odd" : "even",
                                        "up", "down", std::to_string(i)));
  }
  ASSERT_TRUE(store->write({batch}).ok());
  auto odd = *store->query_events({.since = kT0, .peer = "odd"});
  ASSERT_EQ(odd.size(), 5u);
  EXPECT_EQ(odd[0].reason, "1");
  auto by_key = *store->query_events({.since = kT0, .peer = testing::test_key(0).to_base64()});
  EXPECT_EQ(by_key.size(), 5u);
  auto last3 = *store->query_events({.since = kT0, .limit = 3});
  ASSERT_EQ(last3.size(), 3u);  // the newest three, oldest first
  EXPECT_EQ(last3[0].reason, "7");
  EXPECT_EQ(last3[2].reason, "9");
  auto since = *store->query_events({.since = kT0 + 8s});
  EXPECT_EQ(since.size(), 2u);
}

TEST(HistoryStore, UptimeAcrossADaemonRestart) {
  TempDir dir;
  const std::string path = dir.file("h.db");
  {
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store->begin_run(kT0).ok());
    HistoryBatch a;
    a.events.push_back(status_event(EventType::kInitialStatus, kT0, 1, "office", "", "up"));
    a.events.push_back(
        status_event(EventType::kStatusChange, kT0 + 600s, 1, "office", "up", "down", "lost"));
    a.now = kT0 + 600s;
    HistoryBatch stop;
    stop.now = kT0 + 1200s;
    stop.stopping = true;
    ASSERT_TRUE(store->write({a, stop}).ok());
  }
  {
    auto store = HistoryStore::open(path);
    ASSERT_TRUE(store->begin_run(kT0 + 1800s).ok());
    HistoryBatch b;
    b.events.push_back(status_event(EventType::kInitialStatus, kT0 + 1800s, 1, "office", "", "up"));
    b.now = kT0 + 3590s;  // the daemon still runs (last heartbeat 10 s ago)
    ASSERT_TRUE(store->write({b}).ok());
  }
  auto ro = HistoryStore::open_read_only(path);
  ASSERT_TRUE(ro.ok()) << ro.error().message;
  auto report = ro->uptime(kT0, kT0 + 3600s);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->runs.size(), 2u);
  EXPECT_EQ(report->runs[1].end, kT0 + 3600s);
  ASSERT_EQ(report->peers.size(), 1u);
  const PeerUptime& u = report->peers[0].uptime;
  EXPECT_EQ(report->peers[0].name, "office");
  EXPECT_EQ(u.up, 600s + 1800s);
  EXPECT_EQ(u.down, 600s);
  EXPECT_EQ(u.unknown, 600s);
  ASSERT_EQ(u.outages.size(), 1u);
  EXPECT_EQ(u.outages[0].end_kind, OutageEnd::kDaemonStopped);
  EXPECT_EQ(u.outages[0].reason, "lost");
}

}  // namespace
}  // namespace wgtrack
