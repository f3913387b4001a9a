#include "sinks/history/retention.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

TEST(Retention, CutoffsKeepTheStraddlingBucket) {
  HistoryOptions o;                       // 1 day of minutes, 90 days of hours and events
  const std::int64_t now_s = 1763771123;  // 00:25:23
  const RetentionCutoffs c = retention_cutoffs(o, WallTime(std::chrono::seconds(now_s)));
  EXPECT_EQ(c.minutes, now_s - 86400 - 23);
  EXPECT_EQ(c.hours, now_s - 90 * 86400 - (25 * 60 + 23));
  EXPECT_EQ(c.events, now_s - 90 * 86400);
}

TEST(Retention, ConfigurableRetention) {
  HistoryOptions o;
  o.retention_minutes = 2h;
  o.retention_hours = 7 * 24h;
  o.retention_events = 30 * 24h;
  const std::int64_t now_s = 1763769600;  // an hour boundary
  const RetentionCutoffs c = retention_cutoffs(o, WallTime(std::chrono::seconds(now_s)));
  EXPECT_EQ(c, (RetentionCutoffs{now_s - 7200, now_s - 7 * 86400, now_s - 30 * 86400}));
}

TEST(Retention, OverflowTrimFraction) {
  EXPECT_EQ(overflow_trim_fraction(50, 100), 0.0);
  EXPECT_EQ(overflow_trim_fraction(100, 100), 0.0);
  EXPECT_EQ(overflow_trim_fraction(1'000'000, 0), 0.0);     // unbounded
  EXPECT_DOUBLE_EQ(overflow_trim_fraction(200, 100), 0.6);  // half over + 10 % margin
  EXPECT_DOUBLE_EQ(overflow_trim_fraction(1001, 1000), 0.1 + 1.0 / 1001);
  EXPECT_DOUBLE_EQ(overflow_trim_fraction(100'000, 1), 1.0);
}

}  // namespace
}  // namespace wgtrack
