#include "probe/send_pacer.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using Clock = SendPacer::Clock;

TEST(SendPacer, BurstThenRate) {
  const Clock::time_point t0{1s};
  SendPacer p(100, 1000);  // 100 at once, then one per ms
  EXPECT_EQ(p.take(t0, 64), 64u);
  EXPECT_EQ(p.take(t0, 64), 36u);
  EXPECT_EQ(p.take(t0, 64), 0u);
  EXPECT_EQ(p.next_allowed(t0), t0 + 1ms);
  EXPECT_EQ(p.take(t0 + 500us, 1), 0u);
  EXPECT_EQ(p.next_allowed(t0 + 500us), t0 + 1ms);
  EXPECT_EQ(p.take(t0 + 10ms, 64), 10u);
  EXPECT_EQ(p.take(t0 + 10s, 1000), 100u);  // never more than the burst
}

TEST(SendPacer, FullAtStartAndNeverNegative) {
  SendPacer p(3, 1);
  const Clock::time_point t0{5s};
  EXPECT_EQ(p.next_allowed(t0), t0);
  EXPECT_EQ(p.take(t0, 10), 3u);
  EXPECT_EQ(p.next_allowed(t0), t0 + 1s);
  EXPECT_EQ(p.take(t0 - 1s, 10), 0u);  // a time before the last one earns nothing
  EXPECT_EQ(p.take(t0 + 2s, 10), 2u);
}

}  // namespace
}  // namespace wgtrack
