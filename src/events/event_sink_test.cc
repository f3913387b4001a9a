#include "events/event_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/recording_sink.h"

namespace wgtrack {
namespace {

using ::testing::ElementsAre;
using testing::RecordingSink;

Event event_of(EventType type, std::string name = "office") {
  Event e;
  e.type = type;
  e.interface = "wg0";
  e.name = std::move(name);
  return e;
}

TEST(EventBus, FansOutInOrderAndHonoursFilters) {
  EventBus bus;
  auto all = std::make_shared<RecordingSink::Recording>();
  auto changes = std::make_shared<RecordingSink::Recording>();
  bus.add("all", std::make_unique<RecordingSink>(all));
  bus.add("changes", std::make_unique<RecordingSink>(changes),
          EventTypeSet::of({EventType::kStatusChange, EventType::kPeerRemoved}));

  bus.publish(event_of(EventType::kInitialStatus, "a"));
  bus.publish(event_of(EventType::kStatusChange, "b"));
  bus.publish(event_of(EventType::kHandshake, "c"));
  bus.publish(event_of(EventType::kPeerRemoved, "d"));

  std::vector<std::string> got_all, got_changes;
  for (const auto& e : all->events) got_all.push_back(e.name);
  for (const auto& e : changes->events) got_changes.push_back(e.name);
  EXPECT_THAT(got_all, ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(got_changes, ElementsAre("b", "d"));
  EXPECT_EQ(bus.published(), 4u);
  ASSERT_EQ(bus.subscriptions().size(), 2u);
  EXPECT_EQ(bus.subscriptions()[1].name, "changes");
  EXPECT_EQ(bus.subscriptions()[1].sink->stats().events_written, 2u);
}

TEST(EventBus, ReopenAndFlushReachEverySink) {
  EventBus bus;
  auto a = std::make_shared<RecordingSink::Recording>();
  auto b = std::make_shared<RecordingSink::Recording>();
  bus.add("a", std::make_unique<RecordingSink>(a));
  bus.add("b", std::make_unique<RecordingSink>(b), EventTypeSet::of({EventType::kHandshake}));
  bus.reopen();
  bus.flush();
  bus.flush();
  EXPECT_EQ(a->reopens, 1);
  EXPECT_EQ(b->reopens, 1);
  EXPECT_EQ(a->flushes, 2);
  EXPECT_EQ(b->flushes, 2);
  bus.clear();
  EXPECT_TRUE(bus.subscriptions().empty());
  bus.publish(event_of(EventType::kStatusChange));  // no sinks: fine
}

TEST(EventTypeSet, ParsesListsAndAll) {
  auto s = EventTypeSet::parse("status_change, peer_removed,endpoint_changed");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->contains(EventType::kStatusChange));
  EXPECT_TRUE(s->contains(EventType::kPeerRemoved));
  EXPECT_TRUE(s->contains(EventType::kEndpointChanged));
  EXPECT_FALSE(s->contains(EventType::kHandshake));
  auto all = EventTypeSet::parse("all");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->contains(EventType::kCandidateUnreachable));
  EXPECT_EQ(*EventTypeSet::parse("*"), EventTypeSet::all());
}

TEST(EventTypeSet, RejectsUnknownAndEmpty) {
  auto bad = EventTypeSet::parse("status_change, status_chnage");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(bad.error().message.find("status_chnage"), std::string::npos);
  EXPECT_FALSE(EventTypeSet::parse(" , ").ok());
  EXPECT_FALSE(EventTypeSet::parse("").ok());
}

TEST(FailureReporter, WarnsOncePerStreakAndSaysWhenRecovered) {
  std::vector<std::pair<SinkLogLevel, std::string>> lines;
  FailureReporter r([&](SinkLogLevel l, std::string_view m) { lines.emplace_back(l, m); });
  r.succeeded("write");  // nothing to recover from
  r.failed("write /x: No space left on device");
  r.failed("write /x: No space left on device");
  r.failed("write /x: No space left on device");
  EXPECT_TRUE(r.failing());
  EXPECT_EQ(r.streak(), 3u);
  r.succeeded("write /x");
  r.failed("write /x: again");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].first, SinkLogLevel::kWarning);
  EXPECT_EQ(lines[1].first, SinkLogLevel::kInfo);
  EXPECT_EQ(lines[1].second, "write /x: recovered after 3 failures");
  EXPECT_EQ(lines[2].first, SinkLogLevel::kWarning);
}

}  // namespace
}  // namespace wgtrack
