#include "sinks/influx/influx_line_buffer.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using R = InfluxLineBuffer::Result;

TEST(InfluxLineBuffer, BatchesUpToBatchLinesOldestFirst) {
  testing::FakeClock clock;
  InfluxLineBuffer b(100, 2, {1s, 60s});
  b.add("a 1\nb 2\n\nc 3\n");
  EXPECT_EQ(b.buffered_lines(), 3u);
  auto first = b.start(clock.mono_now());
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, "a 1\nb 2\n");
  EXPECT_FALSE(b.start(clock.mono_now()).has_value());  // one in flight
  b.finish(R::kDelivered, clock.mono_now(), 0.0);
  EXPECT_EQ(*b.start(clock.mono_now()), "c 3\n");
  b.finish(R::kDelivered, clock.mono_now(), 0.0);
  EXPECT_EQ(b.lines_written(), 3u);
  EXPECT_FALSE(b.next_deadline(clock.mono_now()).has_value());
}

TEST(InfluxLineBuffer, FailedBatchIsRetriedAfterAGrowingWait) {
  testing::FakeClock clock;
  InfluxLineBuffer b(100, 10, {1s, 4s});
  b.add("a 1\n");
  ASSERT_TRUE(b.start(clock.mono_now()).has_value());
  b.finish(R::kRetry, clock.mono_now(), 1.0);
  b.add("b 2\n");  // arrives while the first waits: it waits behind it
  EXPECT_EQ(b.next_deadline(clock.mono_now()), clock.mono_now() + 1s);
  EXPECT_FALSE(b.start(clock.mono_now()).has_value());
  clock.advance(1s);
  EXPECT_EQ(*b.start(clock.mono_now()), "a 1\n");  // the same batch again
  b.finish(R::kRetry, clock.mono_now(), 1.0);
  EXPECT_EQ(b.next_deadline(clock.mono_now()), clock.mono_now() + 2s);
  EXPECT_EQ(b.failures_in_a_row(), 2u);
  clock.advance(2s);
  ASSERT_TRUE(b.start(clock.mono_now()).has_value());
  b.finish(R::kDelivered, clock.mono_now(), 1.0);
  EXPECT_EQ(b.failures_in_a_row(), 0u);
  EXPECT_EQ(*b.start(clock.mono_now()), "b 2\n");  // no wait after a success
}

TEST(InfluxLineBuffer, OverflowDropsTheOldestWaitingLines) {
  testing::FakeClock clock;
  InfluxLineBuffer b(4, 2, {1s, 60s});
  b.add("a 1\nb 2\n");
  ASSERT_TRUE(b.start(clock.mono_now()).has_value());  // a, b in flight
  b.finish(R::kRetry, clock.mono_now(), 0.0);          // server away
  b.add("c 3\nd 4\n");
  b.add("e 5\nf 6\n");  // 2 in the batch + 4 waiting > 4: c and d go
  EXPECT_EQ(b.lines_dropped(), 2u);
  EXPECT_EQ(b.buffered_lines(), 4u);
  clock.advance(1s);
  EXPECT_EQ(*b.start(clock.mono_now()), "a 1\nb 2\n");
  b.finish(R::kDelivered, clock.mono_now(), 0.0);
  EXPECT_EQ(*b.start(clock.mono_now()), "e 5\nf 6\n");
}

TEST(InfluxLineBuffer, DiscardedBatchIsCountedAndNotRetried) {
  testing::FakeClock clock;
  InfluxLineBuffer b(10, 10, {1s, 60s});
  b.add("bad line\n");
  ASSERT_TRUE(b.start(clock.mono_now()).has_value());
  b.finish(R::kDiscard, clock.mono_now(), 0.0);
  EXPECT_EQ(b.lines_discarded(), 1u);
  EXPECT_EQ(b.buffered_lines(), 0u);
  EXPECT_FALSE(b.start(clock.mono_now()).has_value());
}

}  // namespace
}  // namespace wgtrack
