#include "sinks/webhook/delivery_queue.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using Outcome = DeliveryQueue::Outcome;

HttpClientRequest req(std::string body) {
  return {.url = "http://127.0.0.1/", .body = std::move(body)};
}

TEST(DeliveryQueue, OneInFlightInOrder) {
  testing::FakeClock clock;
  DeliveryQueue q({.max_queue = 10, .retries = 0, .backoff = {}});
  ASSERT_TRUE(q.push(req("a")));
  ASSERT_TRUE(q.push(req("b")));
  EXPECT_EQ(q.next_deadline(clock.mono_now()), clock.mono_now());
  const HttpClientRequest* first = q.start(clock.mono_now());
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->body, "a");
  EXPECT_EQ(q.start(clock.mono_now()), nullptr);  // one at a time
  EXPECT_FALSE(q.next_deadline(clock.mono_now()).has_value());
  EXPECT_EQ(q.finish(true, false, clock.mono_now(), 0.5), Outcome::kDelivered);
  EXPECT_EQ(q.start(clock.mono_now())->body, "b");
  EXPECT_EQ(q.delivered(), 1u);
}

TEST(DeliveryQueue, RetriesWithGrowingJitteredWaitThenGivesUp) {
  testing::FakeClock clock;
  DeliveryQueue q({.max_queue = 10, .retries = 2, .backoff = {1000ms, 60000ms}});
  ASSERT_TRUE(q.push(req("a")));
  ASSERT_TRUE(q.push(req("b")));
  ASSERT_NE(q.start(clock.mono_now()), nullptr);
  EXPECT_EQ(q.finish(false, true, clock.mono_now(), 1.0), Outcome::kRetrying);
  EXPECT_EQ(q.next_deadline(clock.mono_now()), clock.mono_now() + 1000ms);
  clock.advance(999ms);
  EXPECT_EQ(q.start(clock.mono_now()), nullptr);  // "b" waits behind "a": order is kept
  clock.advance(1ms);
  const HttpClientRequest* again = q.start(clock.mono_now());
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->body, "a");
  EXPECT_EQ(q.head_attempts(), 2u);
  EXPECT_EQ(q.finish(false, true, clock.mono_now(), 0.0), Outcome::kRetrying);
  EXPECT_EQ(q.next_deadline(clock.mono_now()), clock.mono_now() + 1000ms);  // 2 s nominal, 50%
  clock.advance(1s);
  ASSERT_NE(q.start(clock.mono_now()), nullptr);
  EXPECT_EQ(q.finish(false, true, clock.mono_now(), 0.0), Outcome::kGaveUp);
  EXPECT_EQ(q.gave_up(), 1u);
  EXPECT_EQ(q.failures(), 3u);
  EXPECT_EQ(q.start(clock.mono_now())->body, "b");
}

TEST(DeliveryQueue, NonRetryableFailureIsGivenUpAtOnce) {
  testing::FakeClock clock;
  DeliveryQueue q({.max_queue = 10, .retries = 5, .backoff = {}});
  ASSERT_TRUE(q.push(req("a")));
  ASSERT_NE(q.start(clock.mono_now()), nullptr);
  EXPECT_EQ(q.finish(false, false, clock.mono_now(), 0.0), Outcome::kGaveUp);
  EXPECT_EQ(q.size(), 0u);
}

TEST(DeliveryQueue, FullQueueDropsTheNewRequestAndCountsIt) {
  DeliveryQueue q({.max_queue = 2, .retries = 0, .backoff = {}});
  EXPECT_TRUE(q.push(req("a")));
  EXPECT_TRUE(q.push(req("b")));
  EXPECT_FALSE(q.push(req("c")));
  EXPECT_FALSE(q.push(req("d")));
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.overflowed(), 2u);
}

}  // namespace
}  // namespace wgtrack
