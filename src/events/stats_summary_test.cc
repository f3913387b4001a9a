#include "events/stats_summary.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using TimePoint = StatsSummary::TimePoint;

PeerStateCounts counts(std::initializer_list<std::string_view> statuses) {
  PeerStateCounts c;
  for (auto s : statuses) c.add(s);
  return c;
}

TEST(PeerStateCounts, CountsByStatusAndIgnoresRemoved) {
  const auto c = counts({"up", "up", "idle", "stale", "down", "never", "removed", "weird"});
  EXPECT_EQ(c.up, 2u);
  EXPECT_EQ(c.idle, 1u);
  EXPECT_EQ(c.stale, 1u);
  EXPECT_EQ(c.down, 1u);
  EXPECT_EQ(c.never, 1u);
  EXPECT_EQ(c.other, 1u);
  EXPECT_EQ(c.total(), 7u);
}

TEST(StatsSummary, SummaryLineTotalsSinceStart) {
  StatsSummary s(1h);
  for (int i = 0; i < 118; ++i) s.record_cycle({true, 0, 0, counts({"up"})});
  s.record_cycle({false, 0, 0, {}});  // a failed read keeps the last breakdown
  s.record_cycle({true, 5, 1, counts({"up", "up", "idle", "down"})});
  s.record_cycle({false, 0, 0, {}});
  s.record_error();
  EXPECT_EQ(s.summary_line(),
            "stats: checks=121 failures=2 changes=5 errors=2 peers=4 up=2 idle=1 stale=0 "
            "down=1 never=0");
  s.record_cycle({true, 0, 0, counts({"up", "mystery"})});
  EXPECT_EQ(s.summary_line(),
            "stats: checks=122 failures=2 changes=5 errors=2 peers=2 up=1 idle=0 stale=0 "
            "down=0 never=0 other=1");
}

TEST(StatsSummary, DueOnAGridWithoutDriftOrBursts) {
  StatsSummary s(60s);
  const TimePoint t0{1000s};
  EXPECT_FALSE(s.next_due().has_value());  // not started
  EXPECT_FALSE(s.poll_due(t0 + 1h));
  s.start(t0);
  EXPECT_EQ(s.next_due(), t0 + 60s);
  EXPECT_FALSE(s.poll_due(t0 + 59s));
  EXPECT_TRUE(s.poll_due(t0 + 61s));  // a late cycle: the grid stays at t0 + k*60s
  EXPECT_EQ(s.next_due(), t0 + 120s);
  EXPECT_FALSE(s.poll_due(t0 + 119s));
  EXPECT_TRUE(s.poll_due(t0 + 120s));
  // A long stall (suspend): one line, not ten; the next is the first grid point after now.
  EXPECT_TRUE(s.poll_due(t0 + 725s));
  EXPECT_EQ(s.next_due(), t0 + 780s);
  EXPECT_FALSE(s.poll_due(t0 + 730s));
}

TEST(StatsSummary, ZeroIntervalIsOffAndCanBeChangedLater) {
  StatsSummary s(0ms);
  const TimePoint t0{5s};
  s.start(t0);
  EXPECT_FALSE(s.next_due().has_value());
  EXPECT_FALSE(s.poll_due(t0 + 24h));
  s.set_interval(10s);  // SIGHUP turned it on: due one interval after the start
  EXPECT_EQ(s.next_due(), t0 + 10s);
  s.record_cycle({true, 1, 0, {}});
  s.set_interval(0ms);
  EXPECT_FALSE(s.poll_due(t0 + 1h));
  EXPECT_EQ(s.changes(), 1u);  // counters survive
}

}  // namespace
}  // namespace wgtrack
