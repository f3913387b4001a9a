// The detection targets (docs/architecture.md, Targets), checked on the fake clock at every
// phase of the black hole against the read cycle, plus the flapping and false-alarm cases that
// bound them from below.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

#include "tracker/peer_health.h"
#include "tracker/peer_scenario.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;
using testing::PeerScenario;

// Remote keepalive every 1 s, no probes, nothing sent by us. The path is black-holed at 60 s
// + phase + 1 ms, right after a keepalive arrived: the worst case for detection. The daemon
// reads every `cycle`, and with `at_deadline` also at the tracker's next_deadline.
void keepalive_black_hole(nanoseconds cycle, bool at_deadline) {
  for (int phase_ms = 0; phase_ms < 1000; phase_ms += 37) {
    SCOPED_TRACE(::testing::Message() << "cycle " << cycle.count() << " ns, phase " << phase_ms
                                      << " ms, at_deadline " << at_deadline);
    PeerScenario s;
    s.policy.keepalive_expected = 1s;
    s.do_handshake();
    s.start();
    const MonoTime t0 = s.now();
    const MonoTime hole = t0 + 60s + std::chrono::milliseconds(phase_ms) + 1ms;
    MonoTime next_keepalive = t0 + std::chrono::milliseconds(phase_ms);
    MonoTime next_tick = t0 + cycle;
    MonoTime last_rx_arrival = t0;
    MonoTime last_rx_read = t0;
    while (s.state() != PeerHealth::kDown && s.now() < t0 + 120s) {
      MonoTime next_read = next_tick;
      if (at_deadline && s.last.next_deadline)
        next_read = std::min(next_read, *s.last.next_deadline);
      s.clock.advance(next_read - s.now());
      if (next_read == next_tick) next_tick += cycle;
      const std::uint64_t rx_before = s.rx;
      for (; next_keepalive <= s.now(); next_keepalive += 1s) {
        if (next_keepalive < hole) {
          s.receive_keepalive();
          last_rx_arrival = next_keepalive;
        }
      }
      s.read();
      if (s.rx != rx_before) last_rx_read = s.now();
    }
    ASSERT_EQ(s.transitions.size(), 1u);
    EXPECT_EQ(s.transitions[0].to, PeerHealth::kDown);
    EXPECT_EQ(s.transitions[0].reason.code, ReasonCode::kRxSilent);
    EXPECT_GT(s.transition_times[0], hole);
    // Down 1.5 s after the last read that saw rx progress, rounded up to the next read.
    const nanoseconds after_read = at_deadline || cycle == 500ms ? nanoseconds(1500ms) : 2s;
    EXPECT_EQ(s.transition_times[0] - last_rx_read, after_read);
    // The keepalive itself arrived up to one cycle before that read.
    EXPECT_LT(s.transition_times[0] - last_rx_arrival, cycle + after_read);
  }
}

// The target "remote keepalive 1 s, no probes: <= 2 s from rx progress alone".
TEST(PeerHealthDetection, RemoteKeepaliveBlackHoleHalfSecondCycle) {
  keepalive_black_hole(500ms, false);  // <= 1.5 s after the last rx read, < 2 s after the rx
}
TEST(PeerHealthDetection, RemoteKeepaliveBlackHoleOneSecondCycle) {
  keepalive_black_hole(1s, false);  // 2 s after the last rx read, < 3 s after the rx
}
TEST(PeerHealthDetection, RemoteKeepaliveBlackHoleOneSecondCycleReadingAtDeadlines) {
  keepalive_black_hole(1s, true);  // 1.5 s after the last rx read, < 2.5 s after the rx
}

TEST(PeerHealthDetection, RemoteKeepaliveJitterIsNoFalseAlarm) {
  PeerScenario s;
  s.policy.keepalive_expected = 1s;
  s.do_handshake();
  s.start();
  const MonoTime t0 = s.now();
  nanoseconds next = 1s;
  int k = 0;
  while (s.now() < t0 + 600s) {
    s.clock.advance(500ms);
    while (t0 + next <= s.now()) {
      s.receive_keepalive();
      next += 1s + std::chrono::milliseconds((k++ * 97) % 450);  // 1.0 - 1.45 s apart
    }
    s.read();
  }
  EXPECT_TRUE(s.transitions.empty()) << s.transitions[0].reason.text;
}

TEST(PeerHealthDetection, OurTrafficPostponesTheRemoteKeepalive) {
  // We stream data one way; the remote's persistent keepalive timer restarts on every packet it
  // receives, so it only sends its passive keepalive every 10 s. No false alarm.
  PeerScenario s;
  s.policy.keepalive_expected = 1s;
  s.do_handshake();
  s.start();
  for (int i = 1; i <= 240; ++i) {
    s.clock.advance(500ms);
    s.send_data();
    if (i % 20 == 0) s.receive_keepalive();
    s.read();
  }
  EXPECT_TRUE(s.transitions.empty()) << s.transitions[0].reason.text;
}

// In-tunnel probes, one per 1 s read, reply in 20 ms, timeout 1 s (reported at the next read).
struct ProbeSim {
  PeerScenario s;
  MonoTime hole = MonoTime::max();
  std::optional<ProbeSample> in_flight;
  std::function<bool(int)> lose = [](int) { return false; };
  int n = 0;

  void cycle() {
    s.clock.advance(1s);
    std::vector<ProbeSample> done;
    if (in_flight) {
      const bool ok = in_flight->sent + 20ms < hole && !lose(n);
      if (ok) s.receive_data(96);
      done.push_back({in_flight->sent, ok, ok ? std::optional<nanoseconds>(20ms) : std::nullopt});
    }
    s.send_data(96);
    in_flight = ProbeSample{s.now(), false};
    ++n;
    s.read(done);
  }
};

TEST(PeerHealthDetection, ProbesEverySecondFailAfterTwoWithinThreeSeconds) {
  for (int offset_ms = 1; offset_ms < 1000; offset_ms += 23) {
    SCOPED_TRACE(offset_ms);
    ProbeSim p;
    p.s.do_handshake();
    p.s.start();
    const MonoTime t0 = p.s.now();
    p.hole = t0 + 30s + std::chrono::milliseconds(offset_ms) - 1s;
    while (p.s.state() != PeerHealth::kDown && p.s.now() < t0 + 60s) p.cycle();
    ASSERT_EQ(p.s.transitions.size(), 1u);
    EXPECT_EQ(p.s.transitions[0].reason.text, "2 probes failed");
    EXPECT_LE(p.s.transition_times[0] - p.hole, 3s);
    EXPECT_GT(p.s.transition_times[0] - p.hole, 1s);
  }
}

TEST(PeerHealthDetection, OneLostProbeInFiveNeverFlaps) {
  ProbeSim p;
  p.lose = [](int n) { return n % 5 == 2; };
  p.s.do_handshake();
  p.s.start();
  for (int i = 0; i < 3600; ++i) {
    if (i % 120 == 119) p.s.do_handshake();
    p.cycle();
  }
  EXPECT_TRUE(p.s.transitions.empty()) << p.s.transitions[0].reason.text;
  EXPECT_EQ(p.s.state(), PeerHealth::kUp);
}

}  // namespace
}  // namespace wgtrack
