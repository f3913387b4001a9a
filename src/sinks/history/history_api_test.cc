#include "sinks/history/history_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sinks/history/counter_book.h"
#include "sinks/history/history_test_util.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::counter_peer;
using testing::counter_snapshot;
using testing::status_event;
using testing::TempDir;
using testing::test_key;

const WallTime kStart{std::chrono::seconds(1'763'769'600)};  // a whole minute

TEST(HistoryApi, OnePeersSamplesAsRatesAndItsEvents) {
  TempDir dir;
  auto store = HistoryStore::open(dir.file("h.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->begin_run(kStart).ok());
  CounterBook book;
  HistoryBatch batch;
  batch.events.push_back(
      status_event(EventType::kStatusChange, kStart + 10s, 1, "office", "up", "down"));
  batch.events.push_back(
      status_event(EventType::kStatusChange, kStart + 10s, 2, "other", "up", "down"));
  book.observe(counter_snapshot(kStart, {counter_peer(1, 0, 0, "office")}), batch.counters);
  book.observe(counter_snapshot(kStart + 30s, {counter_peer(1, 6000, 120, "office")}),
               batch.counters);
  book.close_all(batch.counters);
  batch.now = kStart + 30s;
  ASSERT_TRUE(store->write({batch}).ok());

  auto doc = render_history_json(*store, test_key(1), kStart - 1h, kStart + 1min);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const auto json = boost::json::parse(*doc);
  EXPECT_EQ(json.at("name").as_string(), "office");
  EXPECT_EQ(json.at("resolution_seconds").to_number<int>(), 60);
  EXPECT_EQ(json.at("rx_total").to_number<int>(), 6000);
  const auto& samples = json.at("samples").as_array();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_DOUBLE_EQ(samples[0].at("rx").to_number<double>(), 100.0);  // 6000 B in a minute
  EXPECT_DOUBLE_EQ(samples[0].at("tx").to_number<double>(), 2.0);
  const auto& events = json.at("events").as_array();
  ASSERT_EQ(events.size(), 1u);  // only this peer's
  EXPECT_EQ(events[0].at("status").as_string(), "down");

  // A week's window is served in hour buckets; an unknown peer is not found.
  auto week = render_history_json(*store, test_key(1), kStart - 7 * 24h, kStart + 1min);
  ASSERT_TRUE(week.ok());
  EXPECT_NE(week->find("\"resolution_seconds\":3600"), std::string::npos);
  auto none = render_history_json(*store, test_key(9), kStart - 1h, kStart + 1min);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace wgtrack
