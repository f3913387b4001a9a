// EndpointManager driven step by step: exact requests, events and deadlines.
#include "endpoint/endpoint_manager.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "endpoint/endpoint_test_util.h"

namespace wgtrack::endpoint {
namespace {

using namespace test;
using Strings = std::vector<std::string>;

const WallTime kWall{std::chrono::seconds(1763771123)};

class ManagerTest : public ::testing::Test {
 protected:
  // vpn.example resolves to one AAAA and two A records; the link runs on the AAAA.
  void SetUp() override {
    EndpointStep s = m.tick(t);
    ASSERT_EQ(s.resolve.size(), 1u);
    s = m.resolved(hp("vpn.example:51820"), answer({"192.0.2.1", "2001:db8::1", "192.0.2.2"}, 60s),
                   t, 0.5);
    EXPECT_TRUE(s.events.empty());
    EXPECT_EQ(s.next_deadline, t + 60s);  // TTL, jitter draw 0.5 = no jitter
    obs.health = PeerHealth::kUp;
    obs.endpoint = ep("[2001:db8::1]:51820");
    obs.last_handshake = kWall;
    obs.rx_bytes = 1000;
    obs.handshake_age = 40s;
    s = m.observe(obs, t);
    EXPECT_TRUE(s.events.empty());
    EXPECT_FALSE(s.write);
    EXPECT_FALSE(s.probe);
  }

  // The link goes down; the probe round comes back with `reachable`; returns that step.
  EndpointStep fail_over(std::initializer_list<std::string_view> reachable) {
    t += 5s;
    obs.health = PeerHealth::kDown;
    EndpointStep s = m.observe(obs, t);
    EXPECT_TRUE(s.probe);
    if (!s.probe) return s;
    round = s.probe->round;
    std::vector<CandidateProbe> rs;
    for (const ProbeStart& p : s.probe->probes) {
      bool ok = false;
      for (auto r : reachable) ok = ok || p.address == ep(r);
      rs.push_back({p.address, ok});
    }
    t += 1s;
    return m.probed(round, rs, t);
  }

  EndpointPolicy policy;
  MonoTime t{std::chrono::hours(1000)};
  EndpointManager m{policy, {hp("vpn.example:51820")}};
  LinkObservation obs;
  std::uint64_t round = 0;
};

TEST_F(ManagerTest, DownLinkProbesAllCandidatesInRfc8305OrderStaggered) {
  t += 5s;
  obs.health = PeerHealth::kDown;
  const EndpointStep s = m.observe(obs, t);
  ASSERT_TRUE(s.probe);
  ASSERT_EQ(s.probe->probes.size(), 3u);
  EXPECT_EQ(s.probe->probes[0].address, ep("[2001:db8::1]:51820"));
  EXPECT_EQ(s.probe->probes[1].address, ep("192.0.2.1:51820"));
  EXPECT_EQ(s.probe->probes[2].address, ep("192.0.2.2:51820"));
  EXPECT_EQ(s.probe->probes[2].start, t + 500ms);
  EXPECT_EQ(m.phase(), RecoveryPhase::kProbing);
  EXPECT_EQ(s.next_deadline, t + 500ms + policy.probe_timeout);
}

TEST_F(ManagerTest, SwitchConfirmedByANewerHandshake) {
  const EndpointStep s = fail_over({"192.0.2.1:51820", "192.0.2.2:51820"});
  ASSERT_TRUE(s.write);
  EXPECT_EQ(*s.write, ep("192.0.2.1:51820"));
  // A live keypair (40 s): the in-tunnel probe leaves at once and must be back within 1 s.
  ASSERT_TRUE(s.tunnel_probe);
  EXPECT_EQ(*s.tunnel_probe, Duration(1s));
  const auto changed = events_of<EndpointChanged>(s.events);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].from, ep("[2001:db8::1]:51820"));
  EXPECT_EQ(changed[0].to, ep("192.0.2.1:51820"));
  EXPECT_EQ(changed[0].reason, ChangeReason::kFailover);
  const auto unreachable = events_of<CandidateUnreachable>(s.events);
  ASSERT_EQ(unreachable.size(), 1u);
  EXPECT_EQ(unreachable[0].address, ep("[2001:db8::1]:51820"));
  // Session 40 s old with silence: a handshake may be pending, so 10 s + REKEY_TIMEOUT 5 s.
  EXPECT_EQ(s.next_deadline, t + 15s);
  EXPECT_EQ(m.status(t).confirm_deadline, t + 15s);

  t += 6s;
  obs.endpoint = ep("192.0.2.1:51820");
  obs.last_handshake = kWall + 60s;
  obs.health = PeerHealth::kUp;  // the tracker takes the new handshake as positive evidence
  const EndpointStep c = m.observe(obs, t);
  const auto ok = events_of<SwitchConfirmed>(c.events);
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].via, SwitchConfirmed::Via::kHandshake);
  EXPECT_EQ(ok[0].after, Duration(6s));
  EXPECT_EQ(m.phase(), RecoveryPhase::kIdle);
  const EndpointStatus st = m.status(t);
  ASSERT_TRUE(st.last_switch);
  EXPECT_EQ(st.last_switch->outcome, SwitchRecord::Outcome::kConfirmed);
  EXPECT_EQ(st.last_failover_reason, ChangeReason::kFailover);
  EXPECT_EQ(st.current, ep("192.0.2.1:51820"));
}

TEST_F(ManagerTest, RxAloneNeverConfirms) {
  obs.handshake_age = 3s;
  const EndpointStep s = fail_over({"192.0.2.1:51820", "192.0.2.2:51820"});
  ASSERT_TRUE(s.write);
  EXPECT_EQ(s.next_deadline, t + 10s);  // live session: no handshake pending
  obs.endpoint = *s.write;
  // Data keeps arriving (the peer's keepalives) while the tracker still says down: nothing is
  // proven, and at the end of the window the candidate has failed.
  for (int i = 0; i < 9; ++i) {
    t += 1s;
    obs.rx_bytes += 32;
    const EndpointStep x = m.observe(obs, t);
    EXPECT_TRUE(events_of<SwitchConfirmed>(x.events).empty());
    EXPECT_FALSE(x.write);
  }
  t += 1s;
  const EndpointStep f = m.tick(t);
  ASSERT_EQ(events_of<CandidateUnreachable>(f.events).size(), 1u);
  ASSERT_TRUE(f.write);
  EXPECT_EQ(*f.write, ep("192.0.2.2:51820"));  // the next one is tried
}

TEST_F(ManagerTest, LinkBackWithoutProofKeepsTheEndpointAndBlamesNothing) {
  obs.handshake_age = 3s;
  const EndpointStep s = fail_over({"192.0.2.1:51820"});
  ASSERT_TRUE(s.write);
  obs.endpoint = *s.write;
  t += 1s;
  obs.rx_bytes += 1000;
  obs.health = PeerHealth::kUp;  // rx resumed: the tracker is satisfied, recovery is not
  EXPECT_TRUE(events_of<SwitchConfirmed>(m.observe(obs, t).events).empty());
  t += 9s;
  const EndpointStep end = m.tick(t);
  EXPECT_TRUE(end.events.empty());
  EXPECT_FALSE(end.write);
  EXPECT_EQ(m.phase(), RecoveryPhase::kIdle);
  const EndpointStatus st = m.status(t);
  EXPECT_EQ(st.last_switch->outcome, SwitchRecord::Outcome::kUnproven);
  EXPECT_EQ(st.current, ep("192.0.2.1:51820"));
  for (const CandidateStatus& c : st.candidates)
    EXPECT_FALSE(c.backoff_until) << c.endpoint.to_string();
}

TEST_F(ManagerTest, InTunnelProbeReplyConfirmsOnceTheTrackerAgrees) {
  obs.handshake_age = 3s;
  const EndpointStep s = fail_over({"192.0.2.1:51820"});
  ASSERT_TRUE(s.write);
  ASSERT_TRUE(s.tunnel_probe);
  const MonoTime sent = t;
  // A reply to a probe sent before the decision proves nothing about the new endpoint.
  EXPECT_FALSE(m.tunnel_probed(sent - 1s, true, t).read);
  t += 20ms;
  const EndpointStep answered = m.tunnel_probed(sent, true, t);
  EXPECT_TRUE(answered.read);  // read now: the tracker takes the reply
  EXPECT_TRUE(events_of<SwitchConfirmed>(answered.events).empty());
  t += 100ms;
  obs.endpoint = *s.write;
  obs.health = PeerHealth::kUp;
  const auto ok = events_of<SwitchConfirmed>(m.observe(obs, t).events);
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].via, SwitchConfirmed::Via::kProbe);
  EXPECT_EQ(ok[0].after, Duration(120ms));
  EXPECT_EQ(m.status(t).last_switch->outcome, SwitchRecord::Outcome::kConfirmed);
}

TEST_F(ManagerTest, LostInTunnelProbeOverALiveSessionFailsTheCandidateAtOnce) {
  obs.handshake_age = 3s;
  const EndpointStep s = fail_over({"192.0.2.1:51820", "192.0.2.2:51820"});
  ASSERT_TRUE(s.write);
  t += 1s;
  const EndpointStep f = m.tunnel_probed(t - 1s, false, t);
  const auto unreachable = events_of<CandidateUnreachable>(f.events);
  ASSERT_EQ(unreachable.size(), 1u);
  EXPECT_EQ(unreachable[0].address, ep("192.0.2.1:51820"));
  ASSERT_TRUE(f.write);
  EXPECT_EQ(*f.write, ep("192.0.2.2:51820"));
}

TEST_F(ManagerTest, LostProbeWhileAHandshakeIsDueWaitsForTheWindow) {
  obs.handshake_age = 200s;  // no usable keypair: WireGuard queues the echo for the handshake
  const EndpointStep s = fail_over({"192.0.2.1:51820", "192.0.2.2:51820"});
  ASSERT_TRUE(s.write);
  ASSERT_TRUE(s.tunnel_probe);
  EXPECT_EQ(*s.tunnel_probe, Duration(6s));  // REKEY_TIMEOUT + 1 s
  t += 6s;
  const EndpointStep lost = m.tunnel_probed(t - 6s, false, t);
  EXPECT_FALSE(lost.write);
  EXPECT_TRUE(events_of<CandidateUnreachable>(lost.events).empty());
  t += 2s;
  obs.endpoint = *s.write;
  obs.last_handshake = kWall + 10s;
  obs.health = PeerHealth::kUp;
  const auto ok = events_of<SwitchConfirmed>(m.observe(obs, t).events);
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].via, SwitchConfirmed::Via::kHandshake);
}

TEST_F(ManagerTest, HandshakeWhileProbesStillCountAsFailedOrdersOneMoreProbe) {
  const EndpointStep s = fail_over({"192.0.2.1:51820"});
  ASSERT_TRUE(s.write);
  t += 2s;
  obs.endpoint = *s.write;
  obs.last_handshake = kWall + 60s;  // new handshake, but the tracker is still down
  const EndpointStep h = m.observe(obs, t);
  EXPECT_TRUE(events_of<SwitchConfirmed>(h.events).empty());
  ASSERT_TRUE(h.tunnel_probe);
  EXPECT_EQ(*h.tunnel_probe, Duration(1s));
  t += 1s;
  EXPECT_FALSE(m.observe(obs, t).tunnel_probe);  // one, not one per read
  EXPECT_TRUE(m.tunnel_probed(t - 1s, true, t).read);
  obs.health = PeerHealth::kUp;
  const auto ok = events_of<SwitchConfirmed>(m.observe(obs, t).events);
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].via, SwitchConfirmed::Via::kHandshake);
}

// Our packets to the current address are lost, the peer's keepalives from it still arrive, and
// the address answers ICMP: staying on it must not be "confirmed" by the keepalives, and the
// other A record gets its turn.
TEST_F(ManagerTest, OneWayFailureMovesToTheOtherAddress) {
  obs.endpoint = ep("192.0.2.1:51820");
  obs.handshake_age = 50s;
  t += 1s;
  m.observe(obs, t);  // roamed onto the A record (reported by the read, not a switch)
  const EndpointStep s = fail_over({"192.0.2.1:51820", "192.0.2.2:51820"});
  EXPECT_FALSE(s.write);  // down, current reachable: stay and prove it
  ASSERT_TRUE(s.tunnel_probe);
  EXPECT_EQ(m.phase(), RecoveryPhase::kConfirming);
  t += 500ms;
  obs.rx_bytes += 32;  // a keepalive of the peer
  EXPECT_TRUE(events_of<SwitchConfirmed>(m.observe(obs, t).events).empty());
  t += 500ms;
  const EndpointStep lost = m.tunnel_probed(t - 1s, false, t);
  ASSERT_EQ(events_of<CandidateUnreachable>(lost.events).size(), 1u);
  ASSERT_TRUE(lost.write);
  EXPECT_EQ(*lost.write, ep("192.0.2.2:51820"));
  ASSERT_TRUE(lost.tunnel_probe);
  t += 30ms;
  EXPECT_TRUE(m.tunnel_probed(t - 30ms, true, t).read);
  obs.endpoint = ep("192.0.2.2:51820");
  obs.health = PeerHealth::kUp;
  const auto ok = events_of<SwitchConfirmed>(m.observe(obs, t).events);
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].endpoint, ep("192.0.2.2:51820"));
  EXPECT_EQ(ok[0].via, SwitchConfirmed::Via::kProbe);
  // The dead address is in back-off: the next outage does not start with it.
  EXPECT_TRUE(m.status(t).candidates.back().backoff_until);
  EXPECT_EQ(m.status(t).candidates.back().endpoint, ep("192.0.2.1:51820"));
}

TEST_F(ManagerTest, ConfirmFailureBacksOffTheCandidateAndTriesTheNext) {
  const EndpointStep s = fail_over({"192.0.2.1:51820", "192.0.2.2:51820"});
  ASSERT_TRUE(s.write);
  obs.endpoint = *s.write;
  t += 14s;
  EXPECT_FALSE(m.observe(obs, t).write);  // nothing yet, window not over
  t += 1s;
  const EndpointStep f = m.tick(t);
  const auto unreachable = events_of<CandidateUnreachable>(f.events);
  ASSERT_EQ(unreachable.size(), 1u);
  EXPECT_EQ(unreachable[0].address, ep("192.0.2.1:51820"));
  EXPECT_EQ(unreachable[0].cause, CandidateUnreachable::Cause::kNoHandshake);
  ASSERT_TRUE(f.write);
  EXPECT_EQ(*f.write, ep("192.0.2.2:51820"));
  const auto changed = events_of<EndpointChanged>(f.events);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].reason, ChangeReason::kFailover);

  const EndpointStatus st = m.status(t);
  ASSERT_EQ(st.candidates.size(), 3u);
  // The failed candidate is at the back, in back-off for 30 s.
  EXPECT_EQ(st.candidates[2].endpoint, ep("192.0.2.1:51820"));
  EXPECT_EQ(st.candidates[2].failures, 1);
  EXPECT_EQ(st.candidates[2].backoff_until, t + 30s);
  EXPECT_EQ(st.candidates[0].probe, ProbeState::kUnreachable);
  EXPECT_TRUE(st.candidates[1].current);
}

TEST_F(ManagerTest, EveryCandidateFailingEndsIdleUntilABackoffEnds) {
  EndpointStep s = fail_over({"192.0.2.1:51820"});
  ASSERT_TRUE(s.write);
  t += 15s;
  s = m.tick(t);  // 192.0.2.1 failed; the only reachable one: a new round
  ASSERT_TRUE(s.probe);
  std::vector<CandidateProbe> rs;
  for (const auto& p : s.probe->probes) rs.push_back({p.address, false});
  EXPECT_EQ(rs.size(), 2u);  // 192.0.2.1 is in back-off and not probed
  s = m.probed(s.probe->round, rs, t);
  EXPECT_FALSE(s.write);
  EXPECT_EQ(m.phase(), RecoveryPhase::kIdle);
  EXPECT_EQ(s.next_deadline, t + 30s);  // its back-off ends then (before the next resolution)
  t += 30s;
  s = m.tick(t);
  EXPECT_TRUE(s.probe);
}

TEST_F(ManagerTest, PeerRemovedDuringASwitchIsAbortedAndNeverWrittenAgain) {
  const EndpointStep s = fail_over({"192.0.2.1:51820"});
  ASSERT_TRUE(s.write);
  t += 2s;
  const EndpointStep r = m.remove(t);
  const auto aborted = events_of<SwitchAborted>(r.events);
  ASSERT_EQ(aborted.size(), 1u);
  EXPECT_EQ(aborted[0].target, ep("192.0.2.1:51820"));
  EXPECT_EQ(aborted[0].why, "peer removed");
  EXPECT_FALSE(r.next_deadline);
  EXPECT_EQ(m.phase(), RecoveryPhase::kRemoved);
  EXPECT_EQ(m.status(t).last_switch->outcome, SwitchRecord::Outcome::kAborted);
  for (int i = 0; i < 100; ++i) {
    t += 10s;
    for (const EndpointStep& x :
         {m.tick(t), m.observe(obs, t), m.probed(round, std::vector<CandidateProbe>{}, t),
          m.resolved(hp("vpn.example:51820"), answer({"192.0.2.7"}), t, 0.5)}) {
      EXPECT_FALSE(x.write);
      EXPECT_FALSE(x.probe);
      EXPECT_TRUE(x.resolve.empty());
      EXPECT_TRUE(x.events.empty());
    }
  }
}

TEST_F(ManagerTest, WriteNotFoundMeansRemoved) {
  const EndpointStep s = fail_over({"192.0.2.1:51820"});
  ASSERT_TRUE(s.write);
  const EndpointStep r = m.write_failed(Error(ErrorCode::kNotFound, "no such peer"), t);
  EXPECT_EQ(events_of<SwitchAborted>(r.events).size(), 1u);
  EXPECT_EQ(m.phase(), RecoveryPhase::kRemoved);
}

TEST_F(ManagerTest, RoamedEndpointIsReportedAndNeverOverwrittenWhileHealthy) {
  t += 1s;
  obs.endpoint = ep("198.51.100.9:40000");  // the peer came from elsewhere (NAT rebinding)
  const EndpointStep s = m.observe(obs, t);
  const auto changed = events_of<EndpointChanged>(s.events);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].reason, ChangeReason::kRoamed);
  EXPECT_EQ(changed[0].from, ep("[2001:db8::1]:51820"));
  for (int i = 0; i < 200; ++i) {  // TTL re-resolutions come and go, with other answers
    t += 10s;
    EndpointStep x = m.tick(t);
    for (const auto& h : x.resolve) {
      x = m.resolved(h, answer({"192.0.2.9", "2001:db8::9"}, 30s), t, 0.5);
    }
    EXPECT_FALSE(x.write);
    EXPECT_FALSE(x.probe);
    EXPECT_FALSE(m.observe(obs, t).write);
  }
  EXPECT_EQ(m.status(t).current, ep("198.51.100.9:40000"));
  EXPECT_FALSE(m.status(t).last_switch);
}

TEST_F(ManagerTest, TransientDnsErrorKeepsAddressesPermanentDropsThem) {
  t += 60s;
  EndpointStep s = m.tick(t);
  ASSERT_EQ(s.resolve.size(), 1u);
  s = m.resolved(hp("vpn.example:51820"), HostAnswer(Error(ErrorCode::kTimeout, "timed out")), t,
                 0.5);
  auto failed = events_of<ResolveFailed>(s.events);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].host, "vpn.example");
  EXPECT_FALSE(failed[0].permanent);
  EXPECT_EQ(failed[0].message, "timed out");
  EXPECT_EQ(s.next_deadline, t + 5s);             // transient: retry soon
  EXPECT_EQ(m.status(t).hosts[0].addresses, 3u);  // stale answer kept
  EXPECT_EQ(m.status(t).candidates.size(), 3u);

  t += 5s;
  s = m.tick(t);
  ASSERT_EQ(s.resolve.size(), 1u);
  s = m.resolved(hp("vpn.example:51820"), HostAnswer(Error(ErrorCode::kPermanent, "NXDOMAIN")), t,
                 0.5);
  failed = events_of<ResolveFailed>(s.events);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_TRUE(failed[0].permanent);
  EXPECT_EQ(s.next_deadline, t + 15min);  // permanent: wait longer
  const EndpointStatus st = m.status(t);
  EXPECT_EQ(st.hosts[0].addresses, 0u);
  EXPECT_TRUE(st.hosts[0].permanent);
  EXPECT_TRUE(st.candidates.empty());
  // The link is healthy: nothing is touched.
  EXPECT_FALSE(s.write);
}

TEST(EndpointManager, LiteralHostsAreNeverResolvedAndFailOverAtOnce) {
  EndpointManager m(EndpointPolicy{}, {hp("[2001:db8::7]:51820"), hp("203.0.113.7:51820")});
  const MonoTime t{1000s};
  EndpointStep s = m.tick(t);
  EXPECT_TRUE(s.resolve.empty());
  EXPECT_FALSE(s.next_deadline);
  LinkObservation obs{PeerHealth::kDown, ep("[2001:db8::7]:51820")};
  s = m.observe(obs, t);
  ASSERT_TRUE(s.probe);
  EXPECT_TRUE(s.resolve.empty());
  s = m.probed(s.probe->round,
               std::vector<CandidateProbe>{{ep("[2001:db8::7]:51820"), false},
                                           {ep("203.0.113.7:51820"), true}},
               t);
  ASSERT_TRUE(s.write);
  EXPECT_EQ(*s.write, ep("203.0.113.7:51820"));
}

// A fails one way, B takes over; ten seconds later B fails too while A works again. A is still
// backing off (30 s): waiting that out would keep the link down, so A is tried again
// REKEY_TIMEOUT after the last attempt.
TEST(EndpointManager, StrandedWithEveryCandidateBackingOffRetriesTheFirstToExpire) {
  const Endpoint a = ep("192.0.2.1:1"), b = ep("192.0.2.2:1");
  EndpointManager m(EndpointPolicy{}, {hp("192.0.2.1:1"), hp("192.0.2.2:1")});
  MonoTime t{1000s};
  LinkObservation obs{PeerHealth::kDown, a};
  obs.handshake_age = 3s;  // a live keypair: a lost in-tunnel probe is a verdict
  auto answer_round = [&](const EndpointStep& s, std::initializer_list<Endpoint> reachable) {
    EXPECT_TRUE(s.probe);
    std::vector<CandidateProbe> rs;
    for (const ProbeStart& p : s.probe->probes) {
      rs.push_back(
          {p.address, std::find(reachable.begin(), reachable.end(), p.address) != reachable.end()});
    }
    return m.probed(s.probe->round, rs, t);
  };
  EndpointStep s = answer_round(m.observe(obs, t), {a, b});
  ASSERT_TRUE(s.tunnel_probe);  // staying on A, proving it
  t += 1s;
  s = m.tunnel_probed(t - 1s, false, t);  // A: our packets do not arrive
  ASSERT_EQ(s.write, b);
  s = m.tunnel_probed(t, true, t);
  obs.endpoint = b;
  obs.health = PeerHealth::kUp;
  ASSERT_EQ(events_of<SwitchConfirmed>(m.observe(obs, t).events).size(), 1u);

  t += 10s;
  obs.health = PeerHealth::kDown;
  s = answer_round(m.observe(obs, t), {b});  // A is backing off: only B is probed
  ASSERT_TRUE(s.tunnel_probe);
  const MonoTime stay = t;
  t += 1s;
  s = m.tunnel_probed(stay, false, t);  // B fails too
  EXPECT_FALSE(s.write);
  EXPECT_FALSE(s.probe);
  ASSERT_TRUE(s.next_deadline);
  EXPECT_EQ(*s.next_deadline, stay + 5s);  // not A's back-off end (21 s from now)
  t = *s.next_deadline;
  s = answer_round(m.tick(t), {a});
  ASSERT_EQ(s.write, a);
  EXPECT_EQ(m.status(t).candidates.size(), 2u);
}

TEST(EndpointManager, ProbeRoundTimesOutWhenResultsGoMissing) {
  EndpointManager m(EndpointPolicy{}, {hp("192.0.2.1:1"), hp("192.0.2.2:1")});
  const MonoTime t{1000s};
  EndpointStep s = m.observe(LinkObservation{PeerHealth::kDown, ep("192.0.2.1:1")}, t);
  ASSERT_TRUE(s.probe);
  // Only one result ever comes back.
  s = m.probed(s.probe->round, std::vector<CandidateProbe>{{ep("192.0.2.2:1"), true}}, t);
  EXPECT_FALSE(s.write);
  ASSERT_TRUE(s.next_deadline);
  s = m.tick(*s.next_deadline);
  ASSERT_TRUE(s.write);
  EXPECT_EQ(*s.write, ep("192.0.2.2:1"));
}

}  // namespace
}  // namespace wgtrack::endpoint
