// Recovery (hysteresis), counter resets, clock jumps and removal.
#include <gtest/gtest.h>

#include "tracker/peer_health.h"
#include "tracker/peer_scenario.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::PeerScenario;

// Up, then a black hole while sending: down by tx-without-rx after 15 s.
void go_down_sending(PeerScenario& s) {
  s.do_handshake();
  s.start();
  for (int i = 0; i < 20 && s.state() != PeerHealth::kDown; ++i) {
    s.clock.advance(1s);
    s.send_data();
    s.read();
  }
  ASSERT_EQ(s.state(), PeerHealth::kDown);
}

TEST(PeerHealthRecovery, DownStaysDownWithoutPositiveEvidence) {
  PeerScenario s;
  go_down_sending(s);
  // We stop sending: the negative evidence fades, but nothing shows the path works again.
  for (int i = 0; i < 3600; ++i) {
    s.clock.advance(1s);
    if (i % 25 == 0) s.send_data(32);  // even our keepalives change nothing
    s.read();
    ASSERT_FALSE(s.last.next_deadline);
  }
  EXPECT_EQ(s.state(), PeerHealth::kDown);
  EXPECT_EQ(s.transitions.size(), 1u);
}

TEST(PeerHealthRecovery, RxProgressRecovers) {
  PeerScenario s;
  go_down_sending(s);
  s.clock.advance(1s);
  s.receive_keepalive();
  s.read();
  ASSERT_EQ(s.transitions.size(), 2u);
  EXPECT_EQ(s.transitions[1].from, PeerHealth::kDown);
  EXPECT_EQ(s.transitions[1].to, PeerHealth::kUp);
  EXPECT_EQ(s.transitions[1].reason.code, ReasonCode::kRxResumed);
  EXPECT_EQ(s.transitions[1].reason.text, "rx resumed");
}

TEST(PeerHealthRecovery, NewHandshakeRecovers) {
  PeerScenario s;
  go_down_sending(s);
  s.clock.advance(3s);
  s.do_handshake();
  s.read();
  ASSERT_EQ(s.transitions.size(), 2u);
  EXPECT_EQ(s.transitions[1].to, PeerHealth::kUp);
  EXPECT_EQ(s.transitions[1].reason.code, ReasonCode::kHandshakeCompleted);
}

TEST(PeerHealthRecovery, OnlyAProbeSentAfterTheFailureRecovers) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  const MonoTime early = s.now();
  s.clock.advance(1s);
  const ProbeSample lost[] = {{early, false}, {early + 1ms, false}};
  s.read(lost);
  ASSERT_EQ(s.state(), PeerHealth::kDown);
  EXPECT_EQ(s.transitions[0].reason.text, "2 probes failed");
  s.clock.advance(1s);
  const ProbeSample stale_ok[] = {{early + 2ms, true, 5ms}};  // sent before the failure
  s.read(stale_ok);
  EXPECT_EQ(s.state(), PeerHealth::kDown);
  const ProbeSample ok[] = {{s.now(), true, 5ms}};
  s.clock.advance(1s);
  s.read(ok);
  EXPECT_EQ(s.state(), PeerHealth::kUp);
  EXPECT_EQ(s.transitions.back().reason.text, "probe ok");
}

TEST(PeerHealthRecovery, RxWhileProbesStillFailStaysDown) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  const ProbeSample lost[] = {{s.now(), false}, {s.now() + 1s, false}};
  s.clock.advance(2s);
  s.read(lost);
  ASSERT_EQ(s.state(), PeerHealth::kDown);
  s.clock.advance(1s);
  s.receive_keepalive();
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kDown) << "the failed probes are not contradicted";
}

TEST(PeerHealthRecovery, RecoverAfterTwoObservations) {
  PeerScenario s;
  s.policy.recover_after = 2;
  go_down_sending(s);
  s.clock.advance(1s);
  s.receive_keepalive();
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kDown);
  s.clock.advance(1s);
  s.read();  // nothing new: does not count
  EXPECT_EQ(s.state(), PeerHealth::kDown);
  s.clock.advance(1s);
  s.receive_keepalive();
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp);
}

TEST(PeerHealthRecovery, CounterResetIsNeitherProgressNorNegative) {
  PeerScenario s;
  s.policy.keepalive_expected = 1s;
  s.do_handshake();
  s.rx = 1'000'000;
  s.tx = 2'000'000;
  s.start();
  s.clock.advance(1s);
  s.rx = 50;  // interface restarted between reads; the handshake value survived in this model
  s.tx = 10;
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp) << "a reset is no negative delta";
  s.clock.advance(500ms);
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kDown) << "and no rx progress: silent since the start";
  EXPECT_EQ(s.transitions.back().reason.code, ReasonCode::kRxSilent);
}

TEST(PeerHealthRecovery, HandshakeClearedIsSessionResetToNever) {
  PeerScenario s;
  s.do_handshake();
  s.rx = 5000;
  s.start();
  s.clock.advance(30s);
  s.handshake.reset();  // peer removed and re-added (wg set ... remove; wg set ... allowed-ips)
  s.rx = 0;
  s.tx = 0;
  s.read();
  ASSERT_EQ(s.transitions.size(), 1u);
  EXPECT_EQ(s.transitions[0].to, PeerHealth::kNever);
  EXPECT_EQ(std::string(to_string(s.transitions[0].reason.code)), "session_reset");
  s.clock.advance(1s);
  s.do_handshake();
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp);
}

TEST(PeerHealthRecovery, WallClockJumpBackIsAStateNotANegativeAge) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  s.clock.advance(10s);
  s.clock.jump_wall(-1h);  // NTP step back: the handshake now lies in the future
  s.read();
  EXPECT_TRUE(s.tracker->clock_went_backwards());
  EXPECT_EQ(*s.tracker->handshake_age(s.now()), 10s);
  EXPECT_EQ(s.state(), PeerHealth::kUp);
  EXPECT_TRUE(s.transitions.empty());
  // Ages keep counting on the monotonic clock: idle at 135 s as without the jump.
  s.clock.advance(124s);
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp);
  s.clock.advance(1s);
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kIdle);
  // A new handshake under the stepped clock carries an earlier timestamp: still new.
  s.clock.advance(1s);
  s.do_handshake();
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp);
  EXPECT_FALSE(s.tracker->clock_went_backwards());
}

TEST(PeerHealthRecovery, FirstSeenHandshakeInTheFutureCountsFromFirstSight) {
  PeerScenario s;
  s.handshake = s.clock.wall_now() + 10min;
  EXPECT_EQ(s.start(), PeerHealth::kUp);
  EXPECT_TRUE(s.tracker->clock_went_backwards());
  EXPECT_EQ(*s.tracker->handshake_age(s.now()), 0s);
}

TEST(PeerHealthRecovery, WallClockJumpForwardDoesNotAgeTheHandshake) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  s.clock.advance(10s);
  s.clock.jump_wall(2h);
  s.send_data();
  s.receive_data();
  s.read();
  EXPECT_EQ(*s.tracker->handshake_age(s.now()), 10s);
  EXPECT_EQ(s.state(), PeerHealth::kUp);
  EXPECT_FALSE(s.tracker->clock_went_backwards());
}

TEST(PeerHealthRecovery, RemovedIsTerminal) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  const Transition t = s.tracker->remove();
  EXPECT_EQ(t.from, PeerHealth::kUp);
  EXPECT_EQ(t.to, PeerHealth::kRemoved);
  EXPECT_EQ(t.reason.text, "peer removed");
  EXPECT_EQ(s.state(), PeerHealth::kRemoved);
}

}  // namespace
}  // namespace wgtrack
