#include "endpoint/resolve_scheduler.h"

#include <gtest/gtest.h>

#include <random>

#include "support/fake_clock.h"

namespace wgtrack::endpoint {
namespace {

using namespace std::chrono_literals;
using Cycles = std::vector<int>;

// Cycle numbers (cycle 0 = the cycle the peer went down) at which a down peer resolves during
// the first `n` cycles, asking due() once per cycle as the daemon does.
Cycles down_schedule(ResolvePolicy p, int n, bool at_once = false) {
  testing::FakeClock clock;
  ResolveScheduler s(p);
  // Settle the healthy regime first: one answer with a long TTL.
  EXPECT_TRUE(s.due(clock.mono_now()));
  s.started(clock.mono_now());
  s.finished(clock.mono_now(), ResolveOutcome::answer(3600s), 0.5);
  clock.advance(p.cycle_time * 3);
  const MonoTime down_at = clock.mono_now();
  s.set_link_down(true, down_at, at_once);
  Cycles out;
  for (int k = 0; k < n; ++k) {
    const MonoTime now = down_at + p.cycle_time * k;
    if (s.due(now)) {
      out.push_back(k);
      s.started(now);
      s.finished(now, ResolveOutcome::transient(), 0.5);  // errors do not bend the schedule
    }
  }
  return out;
}

TEST(ResolveScheduler, OriginalWgtrackScheduleWithDefaults) {
  // wait 2; checking 4 every 2 -> 2, 4; back-off from cycle 6 by 4, 8, 16 -> 10, 18, 34;
  // the limit 32 reaches slowcheckingperiod 20 -> every 20: 54, 74, 94.
  ResolvePolicy p;
  p.cycle_time = 1s;
  EXPECT_EQ(down_schedule(p, 100), (Cycles{2, 4, 10, 18, 34, 54, 74, 94}));
  p.cycle_time = 30s;  // towalink/wgtrack's default cycle: same cycle numbers
  EXPECT_EQ(down_schedule(p, 100), (Cycles{2, 4, 10, 18, 34, 54, 74, 94}));
}

// A peer without any endpoint has nothing to wait for: the same schedule, without cycles_wait.
TEST(ResolveScheduler, AtOnceSkipsOnlyTheWait) {
  ResolvePolicy p;
  p.cycle_time = 30s;
  EXPECT_EQ(down_schedule(p, 100, /*at_once=*/true), (Cycles{0, 2, 8, 16, 32, 52, 72, 92}));
}

TEST(ResolveScheduler, OriginalWgtrackScheduleVariants) {
  ResolvePolicy p;
  p.cycle_time = 1s;
  p.cycles_wait = 0;  // as in towalink/wgtrack: straight to checking
  EXPECT_EQ(down_schedule(p, 60), (Cycles{0, 2, 8, 16, 32, 52}));
  p.cycles_checking = 0;  // no checking: back-off from the start
  EXPECT_EQ(down_schedule(p, 60), (Cycles{4, 12, 28, 48}));
  p = ResolvePolicy{};
  p.cycle_time = 1s;
  p.cycles_checking = 5;
  p.cycles_checkperiod = 1;
  p.cycles_slowcheckingperiod = 3;  // 2 x checkperiod 2 < 3, then 4 >= 3
  EXPECT_EQ(down_schedule(p, 20), (Cycles{2, 3, 4, 5, 6, 9, 12, 15, 18}));
}

TEST(ResolveScheduler, PhasesOfADownPeer) {
  ResolveScheduler s(ResolvePolicy{.cycle_time = 1s});
  const MonoTime t{1000s};
  EXPECT_EQ(s.phase(t), ResolvePhase::kHealthy);
  s.set_link_down(true, t);
  EXPECT_EQ(s.phase(t + 1s), ResolvePhase::kWaiting);
  EXPECT_EQ(s.phase(t + 2s), ResolvePhase::kChecking);
  for (auto k : {2s, 4s}) {
    s.started(t + k);
    s.finished(t + k, ResolveOutcome::answer(60s), 0.5);
  }
  EXPECT_EQ(s.phase(t + 6s), ResolvePhase::kBackingOff);
  for (auto k : {10s, 18s, 34s}) {
    s.started(t + k);
    s.finished(t + k, ResolveOutcome::answer(60s), 0.5);
  }
  EXPECT_EQ(s.phase(t + 35s), ResolvePhase::kSlowChecking);
  EXPECT_STREQ(to_string(ResolvePhase::kSlowChecking), "slowchecking");
  s.set_link_down(false, t + 40s);
  EXPECT_EQ(s.phase(t + 40s), ResolvePhase::kHealthy);
  EXPECT_EQ(s.next_due(), t + 94s);  // back to the TTL of the last answer (34 s + 60 s)
}

TEST(ResolveScheduler, LateStartSkipsMissedSlots) {
  ResolveScheduler s(ResolvePolicy{.cycle_time = 1s});
  const MonoTime t{1000s};
  s.set_link_down(true, t);
  s.started(t + 11s);  // slots 2, 4, 10 all missed (daemon was busy)
  s.finished(t + 11s, ResolveOutcome::answer(60s), 0.5);
  EXPECT_EQ(s.next_due(), t + 18s);
}

TEST(ResolveScheduler, HealthyLinkResolvesWhenTheTtlExpiresWithJitter) {
  ResolvePolicy p;  // jitter 10 %
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const MonoTime t{1000s};
  Duration lo = 1h, hi{0};
  for (int i = 0; i < 2000; ++i) {
    ResolveScheduler s(p);
    s.started(t);
    s.finished(t, ResolveOutcome::answer(300s), u(rng));
    const Duration d = *s.next_due() - t;
    ASSERT_GE(d, Duration(270s));
    ASSERT_LE(d, Duration(330s));
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  // Spread over (nearly) the whole band: a fleet does not resolve in step.
  EXPECT_LT(lo, Duration(272s));
  EXPECT_GT(hi, Duration(328s));
}

TEST(ResolveScheduler, TtlIsClampedAndExactWithoutJitter) {
  ResolvePolicy p;
  p.jitter = 0;
  const MonoTime t{1000s};
  auto next = [&](std::chrono::seconds ttl) {
    ResolveScheduler s(p);
    s.started(t);
    s.finished(t, ResolveOutcome::answer(ttl), 0.9);
    return *s.next_due() - t;
  };
  EXPECT_EQ(next(0s), Duration(30s));
  EXPECT_EQ(next(5s), Duration(30s));
  EXPECT_EQ(next(120s), Duration(120s));
  EXPECT_EQ(next(86400s), Duration(1h));
}

TEST(ResolveScheduler, TransientErrorsBackOffPermanentWaitsLonger) {
  ResolvePolicy p;
  p.jitter = 0;
  ResolveScheduler s(p);
  MonoTime t{1000s};
  std::vector<Duration> waits;
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(s.due(t));
    s.started(t);
    s.finished(t, ResolveOutcome::transient(), 0.5);
    waits.push_back(*s.next_due() - t);
    t = *s.next_due();
  }
  EXPECT_EQ(waits, (std::vector<Duration>{5s, 10s, 20s, 40s, 80s, 160s, 300s, 300s}));
  s.started(t);
  s.finished(t, ResolveOutcome::permanent(), 0.5);
  EXPECT_EQ(*s.next_due() - t, Duration(15min));
  EXPECT_GT(p.permanent_retry, p.transient_max);
  t = *s.next_due();
  s.started(t);
  s.finished(t, ResolveOutcome::answer(60s), 0.5);  // an answer resets the transient back-off
  t = *s.next_due();
  s.started(t);
  s.finished(t, ResolveOutcome::transient(), 0.5);
  EXPECT_EQ(*s.next_due() - t, Duration(5s));
}

TEST(ResolveScheduler, NeverMoreOftenThanTheFloorNorWhileInFlight) {
  ResolvePolicy p;
  p.cycle_time = 100ms;
  p.cycles_wait = 0;
  p.cycles_checkperiod = 1;
  p.cycles_checking = 100;
  ResolveScheduler s(p);  // towalink/wgtrack's schedule: every 0.1 s while checking
  MonoTime t{1000s};
  s.set_link_down(true, t);
  std::vector<MonoTime> starts;
  for (int k = 0; k < 50; ++k) {
    const MonoTime now = t + 100ms * k;
    if (s.due(now)) {
      starts.push_back(now);
      s.started(now);
      EXPECT_FALSE(s.due(now + 10s)) << "in flight";
      EXPECT_FALSE(s.next_due());
      s.finished(now, ResolveOutcome::answer(60s), 0.5);
    }
  }
  ASSERT_EQ(starts.size(), 5u);  // 0, 1, 2, 3, 4 s
  for (std::size_t i = 1; i < starts.size(); ++i) EXPECT_EQ(starts[i] - starts[i - 1], 1s);
}

TEST(ResolveScheduler, NewSchedulerIsDueAtOnce) {
  ResolveScheduler s(ResolvePolicy{});
  EXPECT_TRUE(s.due(MonoTime{5s}));
}

}  // namespace
}  // namespace wgtrack::endpoint
