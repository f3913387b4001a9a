#include "sinks/json/event_ring.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "events/event_json.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

Event event(int n) {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(1763771123s + std::chrono::seconds(n));
  e.interface = "wg0";
  e.peer = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  e.old_status = "up";
  e.status = "down";
  e.reason = "event " + std::to_string(n);
  return e;
}

std::vector<std::uint64_t> seqs(const EventRing::Page& page) {
  std::vector<std::uint64_t> out;
  for (const auto* e : page.events) out.push_back(e->seq);
  return out;
}

TEST(EventRingTest, EmptyRing) {
  EventRing ring(3);
  const auto page = ring.since(0);
  EXPECT_TRUE(page.events.empty());
  EXPECT_EQ(page.first_seq, 0u);
  EXPECT_EQ(page.last_seq, 0u);
  EXPECT_EQ(page.next_since, 0u);
  EXPECT_EQ(page.dropped, 0u);
  EXPECT_FALSE(page.reset);
  EXPECT_EQ(
      render_events_json(page),
      "{\"epoch\":0,\"first_seq\":0,\"last_seq\":0,\"next_since\":0,\"dropped\":0,\"reset\":false,"
      "\"more\":false,\"events\":[]}\n");
}

TEST(EventRingTest, SequenceNumbersAndSince) {
  EventRing ring(10);
  for (int n = 1; n <= 4; ++n) ring.publish(event(n));
  EXPECT_EQ(seqs(ring.since(0)), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  const auto page = ring.since(2);
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(page.events[0]->event.reason, "event 3");
  EXPECT_EQ(page.next_since, 4u);
  EXPECT_EQ(page.dropped, 0u);
  // Caught up: nothing new, and the next poll starts at the same place.
  const auto none = ring.since(4);
  EXPECT_TRUE(none.events.empty());
  EXPECT_EQ(none.next_since, 4u);
  EXPECT_FALSE(none.reset);
}

TEST(EventRingTest, EvictsTheOldestAndReportsWhatAPollerMissed) {
  EventRing ring(3);
  for (int n = 1; n <= 7; ++n) ring.publish(event(n));
  EXPECT_EQ(ring.size(), 3u);
  const auto page = ring.since(2);
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{5, 6, 7}));
  EXPECT_EQ(page.first_seq, 5u);
  EXPECT_EQ(page.last_seq, 7u);
  EXPECT_EQ(page.dropped, 2u);  // 3 and 4 were evicted before this poll
  EXPECT_EQ(page.events[0]->event.reason, "event 5");
  EXPECT_EQ(ring.since(0).dropped, 4u);
  EXPECT_EQ(ring.since(4).dropped, 0u);
  EXPECT_EQ(ring.stats().events_written, 7u);
  EXPECT_EQ(ring.stats().events_dropped, 0u);  // eviction is not a failed delivery
}

TEST(EventRingTest, LimitPagesThroughInOrder) {
  EventRing ring(100);
  for (int n = 1; n <= 5; ++n) ring.publish(event(n));
  auto page = ring.since(0, 2);
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_TRUE(page.more);
  page = ring.since(page.next_since, 2);
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_TRUE(page.more);
  page = ring.since(page.next_since, 2);
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{5}));
  EXPECT_FALSE(page.more);
}

TEST(EventRingTest, SinceAheadOfTheRingIsAReset) {
  EventRing ring(10);
  ring.publish(event(1));
  ring.publish(event(2));
  const auto page = ring.since(500);  // a client of a daemon that ran before this one
  EXPECT_TRUE(page.reset);
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(page.dropped, 0u);
}

TEST(EventRingTest, ZeroCapacityKeepsOne) {
  EventRing ring(0);
  EXPECT_EQ(ring.capacity(), 1u);
  ring.publish(event(1));
  ring.publish(event(2));
  EXPECT_EQ(seqs(ring.since(0)), (std::vector<std::uint64_t>{2}));
}

TEST(EventRingTest, WorksThroughTheEventBus) {
  EventBus bus;
  auto owned = std::make_unique<EventRing>(5);
  EventRing& ring = *owned;
  bus.add("api", std::move(owned));
  bus.publish(event(1));
  EXPECT_EQ(ring.last_seq(), 1u);
}

// SIGHUP rebuilds the bus: a ring fed through make_event_ring_feed keeps its events and
// numbering when the old bus (and its feed) is destroyed.
TEST(EventRingTest, FeedLetsTheRingOutliveTheBus) {
  EventRing ring(5, 1763771123000);
  {
    EventBus bus;
    bus.add("api", make_event_ring_feed(ring));
    bus.publish(event(1));
    EXPECT_EQ(bus.subscriptions()[0].sink->stats().events_written, 1u);
  }
  EventBus rebuilt;
  rebuilt.add("api", make_event_ring_feed(ring));
  rebuilt.publish(event(2));
  EXPECT_EQ(seqs(ring.since(0)), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(ring.since(0).epoch, 1763771123000u);
  EXPECT_NE(render_events_json(ring.since(0)).find("{\"epoch\":1763771123000,"), std::string::npos);
}

// Each event is its event_json.h object with "seq" first; the document parses as JSON.
TEST(EventRingTest, JsonIsTheEventShapeWithSeq) {
  EventRing ring(2);
  for (int n = 1; n <= 3; ++n) ring.publish(event(n));
  Event hostile = event(4);
  hostile.name = "x\"}],\"dropped\":99,{\n";
  ring.publish(hostile);
  const std::string text = render_events_json(ring.since(1));
  const boost::json::value doc = boost::json::parse(text);
  const auto& o = doc.as_object();
  EXPECT_EQ(o.at("first_seq").as_int64(), 3);
  EXPECT_EQ(o.at("last_seq").as_int64(), 4);
  EXPECT_EQ(o.at("next_since").as_int64(), 4);
  EXPECT_EQ(o.at("dropped").as_int64(), 1);
  EXPECT_EQ(o.at("more").as_bool(), false);
  const auto& events = o.at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at("seq").as_int64(), 3);
  EXPECT_EQ(events[0].at("reason").as_string(), "event 3");
  EXPECT_EQ(events[1].at("name").as_string(), "x\"}],\"dropped\":99,{\n");
  // Exactly event_json() after the seq field.
  EXPECT_NE(text.find("{\"seq\":3," + event_json(event(3)).substr(1)), std::string::npos);
}

}  // namespace
}  // namespace wgtrack
