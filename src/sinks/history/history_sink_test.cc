#include "sinks/history/history_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "sinks/history/history_test_util.h"
#include "sinks/history/sqlite_db.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::counter_peer;
using testing::counter_snapshot;
using ::testing::HasSubstr;
using testing::status_event;
using testing::TempDir;

const WallTime kT0 = WallTime(1763769600s);

struct LogLines {
  std::vector<std::string> lines;
  SinkLog sink() {
    return [this](SinkLogLevel, std::string_view m) { lines.emplace_back(m); };
  }
};

HistoryOptions options_for(const TempDir& dir) {
  HistoryOptions o;
  o.path = dir.file("history.db");
  return o;
}

TEST(HistorySink, StoresEventsAndCountersOffTheLoop) {
  TempDir dir;
  LogLines log;
  auto sink = HistorySink::create(options_for(dir), kT0, log.sink());
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  HistorySink& s = **sink;
  s.publish(status_event(EventType::kInitialStatus, kT0, 1, "office", "", "up"));
  for (int i = 0; i <= 120; ++i) {  // two minutes of 1 s cycles
    s.record_counters(std::make_shared<const Snapshot>(counter_snapshot(
        kT0 + std::chrono::seconds(i), {counter_peer(1, 1000u * i, 10u * i, "office")})));
    s.flush();
    s.wait_idle();  // one sample at a time, as 1 s cycles would give the writer time to
  }
  EXPECT_EQ(s.samples_skipped(), 0u);
  s.wait_idle();
  EXPECT_EQ(s.stats().events_written, 1u);
  EXPECT_FALSE(s.stats().degraded);
  auto store = HistoryStore::open_read_only(options_for(dir).path);
  ASSERT_TRUE(store.ok());
  auto peers = *store->peers();
  ASSERT_EQ(peers.size(), 1u);
  // Two closed minutes: 0..59 s and 60..119 s.
  EXPECT_EQ(peers[0].rx_total, 119'000u);
  const auto minutes = *store->samples(peers[0].id, 60s, kT0);
  ASSERT_EQ(minutes.size(), 2u);
  EXPECT_EQ(minutes[0].rx, 59'000u);
  EXPECT_EQ(minutes[1].rx, 60'000u);
  EXPECT_EQ(store->query_events({.since = kT0})->size(), 1u);
  EXPECT_TRUE(log.lines.empty());
}

TEST(HistorySink, TotalsAndEventsSurviveADaemonRestartAndACounterReset) {
  TempDir dir;
  {
    auto sink = HistorySink::create(options_for(dir), kT0, {});
    ASSERT_TRUE(sink.ok());
    (*sink)->publish(status_event(EventType::kInitialStatus, kT0, 1, "office", "", "up"));
    (*sink)->record_counters(
        std::make_shared<const Snapshot>(counter_snapshot(kT0, {counter_peer(1, 5000, 500)})));
    (*sink)->wait_idle();
    (*sink)->record_counters(std::make_shared<const Snapshot>(
        counter_snapshot(kT0 + 10s, {counter_peer(1, 8000, 800)})));
    (*sink)->flush();
  }  // shutdown: the open minute is written, the run is marked stopped
  {
    // Restart after the interface was restarted too: counters start from 0 again.
    auto sink = HistorySink::create(options_for(dir), kT0 + 100s, {});
    ASSERT_TRUE(sink.ok());
    (*sink)->publish(status_event(EventType::kInitialStatus, kT0 + 100s, 1, "office", "", "up"));
    (*sink)->record_counters(
        std::make_shared<const Snapshot>(counter_snapshot(kT0 + 100s, {counter_peer(1, 200, 20)})));
    (*sink)->wait_idle();
    (*sink)->record_counters(
        std::make_shared<const Snapshot>(counter_snapshot(kT0 + 110s, {counter_peer(1, 700, 70)})));
    (*sink)->wait_idle();
    EXPECT_EQ((*sink)->counter_resets(), 1u);
  }
  auto store = HistoryStore::open_read_only(options_for(dir).path);
  const auto peers = *store->peers();
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_EQ(peers[0].rx_total, 3000u + 700u);  // never 700 - 8000, never reset to 700
  EXPECT_EQ(peers[0].tx_total, 300u + 70u);
  EXPECT_EQ(store->query_events({.since = kT0})->size(), 2u);
  const auto report = *store->uptime(kT0, kT0 + 110s);
  ASSERT_EQ(report.runs.size(), 2u);
  EXPECT_EQ(report.runs[0].end, kT0 + 10s);  // the stop batch's time
}

TEST(HistorySink, ACorruptDatabaseFailsCreateSoTheDaemonRunsWithoutIt) {
  TempDir dir;
  const HistoryOptions o = options_for(dir);
  {
    std::ofstream out(o.path, std::ios::binary);
    out << std::string(4096, 'x');
  }
  auto sink = HistorySink::create(o, kT0, {});
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.error().code, ErrorCode::kProtocol);
  EXPECT_THAT(sink.error().message, HasSubstr(o.path));
}

TEST(HistorySink, WriteFailuresDegradeAreReportedOnceAndRecover) {
  TempDir dir;
  LogLines log;
  const HistoryOptions o = options_for(dir);
  auto sink = HistorySink::create(o, kT0, log.sink());
  ASSERT_TRUE(sink.ok());
  HistorySink& s = **sink;
  // Someone breaks the schema under the daemon: every write fails.
  auto other = SqliteDb::open(o.path, SqliteDb::Mode::kReadWriteCreate);
  ASSERT_TRUE(other->exec("ALTER TABLE events RENAME TO events_moved").ok());
  for (int i = 0; i < 3; ++i) {
    s.publish(
        status_event(EventType::kStatusChange, kT0 + std::chrono::seconds(i), 1, "", "up", "down"));
    s.flush();
    s.wait_idle();
  }
  s.flush();  // reports what the writer saw
  EXPECT_EQ(s.stats().events_dropped, 3u);
  EXPECT_EQ(s.stats().errors, 3u);
  EXPECT_TRUE(s.stats().degraded);
  ASSERT_EQ(log.lines.size(), 1u);  // once per streak
  EXPECT_THAT(log.lines[0], HasSubstr("history"));
  EXPECT_THAT(log.lines[0], HasSubstr("events"));
  // Repaired: the next batch goes through and recovery is logged.
  ASSERT_TRUE(other->exec("ALTER TABLE events_moved RENAME TO events").ok());
  s.publish(status_event(EventType::kStatusChange, kT0 + 10s, 1, "", "down", "up"));
  s.flush();
  s.wait_idle();
  s.flush();
  EXPECT_EQ(s.stats().events_written, 1u);
  EXPECT_FALSE(s.stats().degraded);
  ASSERT_EQ(log.lines.size(), 2u);
  EXPECT_THAT(log.lines[1], HasSubstr("recovered after 3 failures"));
}

TEST(HistorySink, AFullQueueDropsAndCounts) {
  TempDir dir;
  LogLines log;
  HistoryOptions o = options_for(dir);
  o.max_queued_batches = 0;  // every batch finds the queue full
  auto sink = HistorySink::create(o, kT0, log.sink());
  ASSERT_TRUE(sink.ok());
  (*sink)->publish(status_event(EventType::kStatusChange, kT0, 1, "", "up", "down"));
  (*sink)->flush();
  EXPECT_EQ((*sink)->stats().events_dropped, 1u);
  EXPECT_TRUE((*sink)->stats().degraded);
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_THAT(log.lines[0], HasSubstr("queue full"));
}

TEST(HistorySink, TheFeedForwardsToTheSinkTheDaemonKeeps) {
  TempDir dir;
  auto sink = HistorySink::create(options_for(dir), kT0, {});
  ASSERT_TRUE(sink.ok());
  EventBus bus;
  bus.add("history", make_history_feed(**sink));
  bus.publish(status_event(EventType::kPeerAdded, kT0, 2, "new", "", "never"));
  bus.flush();
  (*sink)->wait_idle();
  EXPECT_EQ(bus.subscriptions()[0].sink->stats().events_written, 1u);
}

}  // namespace
}  // namespace wgtrack
