#include "daemon/cycle_plan.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using std::chrono::milliseconds;
constexpr auto kGap = milliseconds(100);

MonoTime at(int ms) { return MonoTime(milliseconds(ms)); }

TEST(CyclePlan, NoDeadlineKeepsTheGrid) {
  const CyclePlan p = plan_cycles(at(0), at(500), std::nullopt, kGap);
  EXPECT_EQ(p.regular, at(500));
  EXPECT_FALSE(p.early);
}

TEST(CyclePlan, ADeadlineBeforeTheRegularReadGetsAnEarlyRead) {
  const CyclePlan p = plan_cycles(at(0), at(500), at(300), kGap);
  EXPECT_EQ(p.regular, at(500));
  ASSERT_TRUE(p.early);
  EXPECT_EQ(*p.early, at(300));
}

TEST(CyclePlan, ADeadlineAFewMillisecondsAwayIsReadOneGapFromNow) {
  // The case that used to be dropped: a limit 3 ms away was skipped and read a cycle late.
  const CyclePlan p = plan_cycles(at(0), at(500), at(3), kGap);
  ASSERT_TRUE(p.early);
  EXPECT_EQ(*p.early, at(100));
  const CyclePlan past = plan_cycles(at(0), at(500), at(-20), kGap);
  ASSERT_TRUE(past.early);
  EXPECT_EQ(*past.early, at(100));
}

TEST(CyclePlan, ADeadlineJustAfterTheRegularReadDelaysThatRead) {
  // rx seen at a read stamped 5 ms late, limit 3 cycles later: the deadline lands 5 ms after
  // a regular read, which would judge 1.495 s of silence against 1.5 s.
  const CyclePlan p = plan_cycles(at(0), at(500), at(505), kGap);
  EXPECT_EQ(p.regular, at(505));
  EXPECT_FALSE(p.early);
  const CyclePlan edge = plan_cycles(at(0), at(500), at(600), kGap);
  EXPECT_EQ(edge.regular, at(600));
}

TEST(CyclePlan, ADeadlineWellAfterTheRegularReadIsLeftToALaterCycle) {
  const CyclePlan p = plan_cycles(at(0), at(500), at(601), kGap);
  EXPECT_EQ(p.regular, at(500));
  EXPECT_FALSE(p.early);
}

TEST(CyclePlan, NoEarlyReadRightBeforeTheRegularOne) {
  // now + gap is past the regular read: the regular read covers the deadline.
  const CyclePlan p = plan_cycles(at(450), at(500), at(460), kGap);
  EXPECT_EQ(p.regular, at(500));
  EXPECT_FALSE(p.early);
}

}  // namespace
}  // namespace wgtrack
