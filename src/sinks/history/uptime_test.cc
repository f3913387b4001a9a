#include "sinks/history/uptime.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const WallTime kT0 = WallTime(1763769600s);
WallTime at(std::chrono::seconds s) { return kT0 + s; }

TEST(Uptime, ClassifiesStatesAsCountsAsUpDoes) {
  EXPECT_EQ(classify_status("up"), StatusClass::kUp);
  EXPECT_EQ(classify_status("idle"), StatusClass::kUp);
  EXPECT_EQ(classify_status("stale"), StatusClass::kUp);
  EXPECT_EQ(classify_status("down"), StatusClass::kDown);
  EXPECT_EQ(classify_status("never"), StatusClass::kNever);
  EXPECT_EQ(classify_status("removed"), StatusClass::kAbsent);
}

TEST(Uptime, OneOutageInsideTheWindow) {
  const std::vector<StatusPoint> points = {{at(0s), "up", "daemon started"},
                                           {at(600s), "down", "2 probes failed"},
                                           {at(900s), "up", "probe ok"}};
  const PeerUptime u = compute_uptime(points, {{at(0s), at(3600s)}}, {at(0s), at(3600s)});
  EXPECT_EQ(u.up, 3300s);
  EXPECT_EQ(u.down, 300s);
  EXPECT_EQ(u.unknown, 0s);
  ASSERT_TRUE(u.availability);
  EXPECT_DOUBLE_EQ(*u.availability, 3300.0 / 3600.0);
  ASSERT_EQ(u.outages.size(), 1u);
  EXPECT_EQ(u.outages[0].start, at(600s));
  EXPECT_EQ(u.outages[0].end, at(900s));
  EXPECT_EQ(u.outages[0].duration(), 300s);
  EXPECT_EQ(u.outages[0].end_kind, OutageEnd::kRecovered);
  EXPECT_EQ(u.outages[0].reason, "2 probes failed");
  EXPECT_FALSE(u.outages[0].started_before_window);
}

TEST(Uptime, AnOutageStillOpenAtTheWindowEndIsOngoing) {
  const std::vector<StatusPoint> points = {{at(0s), "up", ""}, {at(3000s), "down", "rx silent"}};
  const PeerUptime u = compute_uptime(points, {{at(0s), at(3600s)}}, {at(0s), at(3600s)});
  ASSERT_EQ(u.outages.size(), 1u);
  EXPECT_EQ(u.outages[0].end_kind, OutageEnd::kOngoing);
  EXPECT_EQ(u.outages[0].end, at(3600s));
  EXPECT_EQ(u.outages[0].duration(), 600s);
}

TEST(Uptime, StateCarriedIntoTheWindowFromTheSameRun) {
  // Down since before the window: the outage is clipped and marked so.
  const std::vector<StatusPoint> points = {{at(0s), "down", "x"}, {at(2000s), "up", ""}};
  const PeerUptime u = compute_uptime(points, {{at(0s), at(3600s)}}, {at(1000s), at(3600s)});
  EXPECT_EQ(u.down, 1000s);
  EXPECT_EQ(u.up, 1600s);
  ASSERT_EQ(u.outages.size(), 1u);
  EXPECT_TRUE(u.outages[0].started_before_window);
  EXPECT_EQ(u.outages[0].start, at(1000s));
  EXPECT_EQ(u.outages[0].reason, "x");
}

TEST(Uptime, DaemonDownTimeIsUnknownNotDowntime) {
  // Run 1: 0..1000 (down from 500), daemon stopped; run 2: 2000..3600, peer up again.
  const std::vector<StatusPoint> points = {
      {at(0s), "up", ""}, {at(500s), "down", "x"}, {at(2000s), "up", "daemon started"}};
  const std::vector<AliveSpan> alive = {{at(0s), at(1000s)}, {at(2000s), at(3600s)}};
  const PeerUptime u = compute_uptime(points, alive, {at(0s), at(3600s)});
  EXPECT_EQ(u.unknown, 1000s);
  EXPECT_EQ(u.down, 500s);
  EXPECT_EQ(u.up, 500s + 1600s);
  ASSERT_EQ(u.outages.size(), 1u);
  EXPECT_EQ(u.outages[0].end, at(1000s));
  EXPECT_EQ(u.outages[0].end_kind, OutageEnd::kDaemonStopped);
  EXPECT_DOUBLE_EQ(*u.availability, 2100.0 / 2600.0);
}

TEST(Uptime, StateIsNotCarriedAcrossDaemonRuns) {
  // Down at the end of run 1; run 2 has no event for the peer: absent, not down.
  const std::vector<StatusPoint> points = {{at(0s), "down", "x"}};
  const std::vector<AliveSpan> alive = {{at(0s), at(100s)}, {at(200s), at(300s)}};
  const PeerUptime u = compute_uptime(points, alive, {at(0s), at(300s)});
  EXPECT_EQ(u.down, 100s);
  EXPECT_EQ(u.absent, 100s);
  EXPECT_EQ(u.unknown, 100s);
}

TEST(Uptime, NeverAndRemovedAreNotDowntime) {
  const std::vector<StatusPoint> points = {{at(0s), "never", ""},
                                           {at(100s), "up", ""},
                                           {at(200s), "down", "x"},
                                           {at(300s), "removed", "peer removed"}};
  const PeerUptime u = compute_uptime(points, {{at(0s), at(400s)}}, {at(0s), at(400s)});
  EXPECT_EQ(u.never, 100s);
  EXPECT_EQ(u.up, 100s);
  EXPECT_EQ(u.down, 100s);
  EXPECT_EQ(u.absent, 100s);
  ASSERT_EQ(u.outages.size(), 1u);
  EXPECT_EQ(u.outages[0].end_kind, OutageEnd::kRemoved);
  EXPECT_DOUBLE_EQ(*u.availability, 0.5);
}

TEST(Uptime, NoEvidenceMeansNoAvailability) {
  const PeerUptime u =
      compute_uptime({{at(0s), "never", ""}}, {{at(0s), at(60s)}}, {at(0s), at(60s)});
  EXPECT_FALSE(u.availability);
  EXPECT_EQ(u.never, 60s);
  EXPECT_TRUE(u.outages.empty());
  EXPECT_FALSE(compute_uptime({}, {}, {at(60s), at(0s)}).availability);  // empty window
}

TEST(Uptime, EveryInstantIsCountedOnce) {
  const std::vector<StatusPoint> points = {
      {at(10s), "up", ""}, {at(50s), "down", ""}, {at(70s), "idle", ""}, {at(400s), "stale", ""}};
  const std::vector<AliveSpan> alive = {{at(5s), at(120s)}, {at(300s), at(1000s)}};
  const PeerUptime u = compute_uptime(points, alive, {at(0s), at(900s)});
  EXPECT_EQ(u.up + u.down + u.never + u.absent + u.unknown, 900s);
}

}  // namespace
}  // namespace wgtrack
