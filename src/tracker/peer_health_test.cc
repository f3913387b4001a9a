// Scenario tests of the peer health state machine on a fake clock (no sleeping).
#include "tracker/peer_health.h"

#include <gtest/gtest.h>

#include "tracker/peer_scenario.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::PeerScenario;

ProbeSample probe(MonoTime sent, bool ok) {
  return ProbeSample{sent, ok, ok ? std::optional<std::chrono::nanoseconds>(20ms) : std::nullopt};
}

TEST(PeerHealth, InitialVerdictWithoutHistory) {
  PeerScenario never;
  EXPECT_EQ(never.start(), PeerHealth::kNever);

  PeerScenario fresh;
  fresh.handshake = fresh.clock.wall_now() - 30s;
  EXPECT_EQ(fresh.start(), PeerHealth::kUp);

  PeerScenario quiet;  // an old handshake and nothing known about traffic: not a failure
  quiet.handshake = quiet.clock.wall_now() - 3h;
  EXPECT_EQ(quiet.start(), PeerHealth::kIdle);
}

TEST(PeerHealth, NeverToUpOnFirstHandshake) {
  PeerScenario s;
  s.start();
  s.clock.advance(30s);
  s.send_data();  // initiations go out, nothing comes back yet
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kNever);
  s.clock.advance(30s);
  s.do_handshake();
  s.read();
  ASSERT_EQ(s.transitions.size(), 1u);
  EXPECT_EQ(s.transitions[0].from, PeerHealth::kNever);
  EXPECT_EQ(s.transitions[0].to, PeerHealth::kUp);
  EXPECT_EQ(s.transitions[0].reason.code, ReasonCode::kHandshakeCompleted);
  EXPECT_EQ(s.transitions[0].reason.text, "handshake completed");
}

TEST(PeerHealth, ProbeFailuresBeforeTheFirstHandshakeDoNotCount) {
  PeerScenario s;
  s.start();
  for (int i = 0; i < 5; ++i) {
    const ProbeSample p[] = {probe(s.now(), false)};
    s.clock.advance(1s);
    s.read(p);
  }
  EXPECT_EQ(s.state(), PeerHealth::kNever);
  s.do_handshake();
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp);
}

TEST(PeerHealth, IdlePeerWithoutKeepaliveStaysIdleForHours) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  for (int i = 0; i < 6 * 120; ++i) {  // six hours of 30 s cycles, no traffic at all
    s.clock.advance(30s);
    s.read();
  }
  ASSERT_EQ(s.transitions.size(), 1u);
  EXPECT_EQ(s.transitions[0].to, PeerHealth::kIdle);
  EXPECT_EQ(s.transitions[0].reason.code, ReasonCode::kQuiet);
  EXPECT_EQ(s.transitions[0].reason.text, "no traffic, handshake 150 s old");
  EXPECT_EQ(s.state(), PeerHealth::kIdle);
  EXPECT_FALSE(s.last.next_deadline) << "nothing can change without input";
}

TEST(PeerHealth, UpToIdleExactlyAtTheReportedDeadline) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  s.clock.advance(1s);
  const auto deadline = s.read().next_deadline;
  ASSERT_TRUE(deadline);
  EXPECT_EQ(*deadline - s.now(), 134s);
  s.clock.advance(*deadline - s.now() - 1ns);
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp);
  s.clock.advance(1ns);
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kIdle);
}

TEST(PeerHealth, OldHandshakeThenTrafficRenewsWithoutAlarm) {
  PeerScenario s;
  s.handshake = s.clock.wall_now() - 3h;
  s.start();
  s.clock.advance(30s);
  s.send_data();  // the first send finds the session expired: the kernel initiates
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kIdle) << "a handshake in progress is not late yet";
  s.clock.advance(1s);
  s.do_handshake();
  s.receive_data();
  s.read();
  EXPECT_EQ(s.state(), PeerHealth::kUp);
}

// Both directions busy in 5 s steps, rekeying every 120 s until `stop`; afterwards handshakes
// fail (except one at `renew_at`), and the old session carries data until it is 180 s old.
void busy_both_ways(PeerScenario& s, std::chrono::seconds duration, std::chrono::seconds stop,
                    std::optional<std::chrono::seconds> renew_at = {}) {
  auto since_hs = 0s;
  for (auto now = 5s; now <= duration; now += 5s) {
    s.clock.advance(5s);
    since_hs += 5s;
    if ((since_hs >= 120s && now < stop) || now == renew_at) {
      s.do_handshake();
      since_hs = 0s;
    }
    if (since_hs < 180s) {
      s.send_data();
      s.receive_data();
    } else {
      s.send_data(148);  // initiations into the void
    }
    s.read();
  }
}

TEST(PeerHealth, LateHandshakeIsStaleThenRecovers) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  // Rekeyed at 120 s; from 200 s on renewal fails; the one at 240 s is due, 255 s is stale
  // (age 135), a handshake at 270 s recovers.
  busy_both_ways(s, 400s, 200s, 270s);
  ASSERT_EQ(s.transitions.size(), 2u);
  EXPECT_EQ(s.transitions[0].to, PeerHealth::kStale);
  EXPECT_EQ(s.transitions[0].reason.code, ReasonCode::kHandshakeLate);
  EXPECT_EQ(s.transitions[0].reason.text, "handshake 135 s old while sending");
  EXPECT_EQ(s.transitions[1].from, PeerHealth::kStale);
  EXPECT_EQ(s.transitions[1].to, PeerHealth::kUp);
  EXPECT_EQ(s.transitions[1].reason.text, "handshake completed");
}

TEST(PeerHealth, HandshakeNotRenewedWhileSendingIsDownAtRejectAfterTime) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  busy_both_ways(s, 400s, 100s);  // never renewed: session from t=0 expires at 180 s
  ASSERT_GE(s.transitions.size(), 2u);
  EXPECT_EQ(s.transitions[0].to, PeerHealth::kStale);
  EXPECT_EQ(s.transitions[1].to, PeerHealth::kDown);
  EXPECT_EQ(s.transition_times[1] - s.transition_times[0], 45s);  // 135 s -> 180 s
  EXPECT_EQ(s.transitions[1].reason.code, ReasonCode::kHandshakeExpired);
  EXPECT_EQ(s.transitions[1].reason.text, "handshake 180 s old while sending");
}

TEST(PeerHealth, BusyPeerSendingWithoutReplyIsDown) {
  // Default policy: nothing back 15 s after data went out.
  PeerScenario s;
  s.do_handshake();
  s.start();
  const MonoTime start = s.now();
  for (int i = 0; i < 60; ++i) {
    s.clock.advance(1s);
    s.send_data();
    s.read();
  }
  ASSERT_EQ(s.transitions.size(), 1u);
  EXPECT_EQ(s.transitions[0].to, PeerHealth::kDown);
  EXPECT_EQ(s.transitions[0].reason.code, ReasonCode::kTxWithoutRx);
  EXPECT_EQ(s.transitions[0].reason.text, "sending for 15 s without reply");
  EXPECT_EQ(s.transition_times[0] - start, 16s);  // first unanswered send seen at 1 s
}

TEST(PeerHealth, BusyPeerWithoutTxRuleIsStaleAt135AndDownPast180) {
  PeerScenario s;
  s.policy.tx_without_rx_down.reset();
  s.do_handshake();
  s.start();
  const MonoTime start = s.now();
  for (int i = 0; i < 300; ++i) {
    s.clock.advance(1s);
    s.send_data();
    s.read();
  }
  ASSERT_EQ(s.transitions.size(), 2u);
  EXPECT_EQ(s.transitions[0].to, PeerHealth::kStale);
  EXPECT_EQ(s.transition_times[0] - start, 135s);
  EXPECT_EQ(s.transitions[1].to, PeerHealth::kDown);
  EXPECT_EQ(s.transition_times[1] - start, 180s);
}

TEST(PeerHealth, OwnKeepalivesAreNotUnansweredData) {
  // Local persistent keepalive 25 s, silent remote: keepalives are never answered, and the
  // kernel keeps the session (it rekeys by REJECT_AFTER_TIME + 25 s).
  PeerScenario s;
  s.local_keepalive = 25s;
  s.do_handshake();
  s.start();
  auto since_hs = 0s;
  for (int i = 0; i < 2 * 3600 / 5; ++i) {
    s.clock.advance(5s);
    since_hs += 5s;
    if (i % 5 == 4) s.send_data(32);
    if (since_hs >= 185s) {
      s.do_handshake();
      since_hs = 0s;
    }
    s.read();
  }
  EXPECT_TRUE(s.transitions.empty()) << to_string(s.transitions[0].to);
}

TEST(PeerHealth, PassiveKeepaliveAfterReceivedDataIsNotUnanswered) {
  PeerScenario s;
  s.do_handshake();
  s.start();
  s.clock.advance(1s);
  s.receive_data();
  s.read();
  s.clock.advance(10s);
  s.send_data(32);  // our passive keepalive
  s.read();
  for (int i = 0; i < 20; ++i) {
    s.clock.advance(1s);
    s.read();
  }
  EXPECT_TRUE(s.transitions.empty());
}

}  // namespace
}  // namespace wgtrack
