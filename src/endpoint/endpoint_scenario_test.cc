// Whole stories on a simulated network and a fake clock (1 s cycles, as in the failover target
// of docs/architecture.md, Targets).
#include <gtest/gtest.h>

#include "endpoint/endpoint_manager.h"
#include "endpoint/endpoint_test_util.h"

namespace wgtrack::endpoint {
namespace {

using namespace test;
using Strings = std::vector<std::string>;

EndpointPolicy fast_policy() {
  EndpointPolicy p;
  p.resolve.cycle_time = 1s;  // cycle_time 1, as in the failover target
  return p;
}

// Runs cycles until a SwitchConfirmed event appears; returns the cycles it took (or -1).
int cycles_until_confirmed(World& w, int limit = 120) {
  for (int i = 1; i <= limit; ++i) {
    w.cycle();
    if (!events_of<SwitchConfirmed>(w.events).empty()) return i;
  }
  return -1;
}

TEST(EndpointScenario, Ipv6BlackHoledFallsBackToIpv4) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "[2001:db8::1]:51820");
  w.set_dns("vpn.example", answer({"2001:db8::1", "192.0.2.1"}, 300s));
  w.icmp_ok = {"2001:db8::1", "192.0.2.1"};
  w.udp_ok = {"[2001:db8::1]:51820", "192.0.2.1:51820"};
  w.run(20);
  EXPECT_TRUE(w.writes.empty());
  // IPv6 still "has a route" but drops everything.
  w.icmp_ok.erase("2001:db8::1");
  w.udp_ok.erase("[2001:db8::1]:51820");
  const int took = cycles_until_confirmed(w);
  ASSERT_GT(took, 0);
  EXPECT_LE(took, 4);  // down after 2 s, probe + switch at once, rx on the next cycle
  EXPECT_EQ(strings(w.writes), (Strings{"192.0.2.1:51820"}));
  const auto changed = events_of<EndpointChanged>(w.events);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].reason, ChangeReason::kFailover);
  w.run(300);  // and it stays there: IPv6 is preferred, but a healthy link is never moved
  EXPECT_EQ(w.writes.size(), 1u);
}

TEST(EndpointScenario, TwoARecordsOneDeadUsesTheLiveOne) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.1:51820");
  w.set_dns("vpn.example", answer({"192.0.2.1", "192.0.2.2"}, 300s));
  w.icmp_ok = {"192.0.2.2"};
  w.udp_ok = {"192.0.2.2:51820"};  // wg-quick picked the dead one at boot
  ASSERT_GT(cycles_until_confirmed(w), 0);
  EXPECT_EQ(strings(w.writes), (Strings{"192.0.2.2:51820"}));
}

TEST(EndpointScenario, HundredRoundRobinRotationsNeverMoveAHealthyLink) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.2:51820");
  const std::vector<std::string_view> rr{"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  w.icmp_ok = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  w.udp_ok = {"192.0.2.1:51820", "192.0.2.2:51820", "192.0.2.3:51820"};
  std::size_t rotations = 0;
  while (w.resolve_times.size() < 101) {
    const std::size_t k = w.resolve_times.size();
    w.set_dns("vpn.example", answer({rr[k % 3], rr[(k + 1) % 3], rr[(k + 2) % 3]}, 30s));
    w.cycle();
    rotations = w.resolve_times.size();
  }
  EXPECT_GE(rotations, 101u);
  EXPECT_TRUE(w.writes.empty());
  EXPECT_TRUE(w.events.empty());
  // TTL 30 s, jitter +-10 %: resolutions 27..33 s apart (1 s cycles add up to 1 s).
  for (std::size_t i = 2; i < w.resolve_times.size(); ++i) {
    const auto gap = w.resolve_times[i] - w.resolve_times[i - 1];
    EXPECT_GE(gap, 27s);
    EXPECT_LE(gap, 34s);
  }
}

TEST(EndpointScenario, DnsChangeIsSeenBeforeTheLinkFailsAndFollowedAtDetection) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.1:51820");
  w.set_dns("vpn.example", answer({"192.0.2.1"}, 30s));
  w.icmp_ok = {"192.0.2.1"};
  w.udp_ok = {"192.0.2.1:51820"};
  w.run(50);
  // The peer moves: DNS follows at once, the old address goes dark a bit later.
  w.set_dns("vpn.example", answer({"198.51.100.5"}, 30s));
  w.icmp_ok = {"198.51.100.5"};
  w.udp_ok = {"198.51.100.5:51820"};
  w.auto_health = false;  // the tracker has not noticed yet (keepalives are sparse)
  w.run(40);
  EXPECT_TRUE(w.writes.empty()) << "the link still looks healthy: not moved";
  EXPECT_EQ(w.manager.status(w.now()).candidates.at(0).endpoint, ep("198.51.100.5:51820"));
  w.auto_health = true;
  w.link.health = PeerHealth::kDown;  // detection
  w.cycle();  // candidates were fresh: written in the very cycle of detection, no resolution
  EXPECT_EQ(strings(w.writes), (Strings{"198.51.100.5:51820"}));
  EXPECT_EQ(cycles_until_confirmed(w), 1);
  EXPECT_EQ(events_of<EndpointChanged>(w.events).at(0).reason, ChangeReason::kReresolve);
}

// The peer restarts its WireGuard (its host still answers pings): we stay on the current
// address, reachable by ICMP, only if an in-tunnel probe through it comes back. It does not
// while the peer is away, so the other address is tried; the peer is there too.
// Two addresses that both answer ICMP; the current one (.2) stops carrying WireGuard, and two
// cycles later (down after 2 s without rx) recovery stays on it and probes through it.
void current_stops_answering(World& w) {
  w.set_dns("vpn.example", answer({"192.0.2.1", "192.0.2.2"}, 300s));
  w.icmp_ok = {"192.0.2.1", "192.0.2.2"};
  w.udp_ok = {"192.0.2.1:51820", "192.0.2.2:51820"};
  w.run(10);
  w.udp_ok.erase("192.0.2.2:51820");
  w.run(2);
}

TEST(EndpointScenario, DownButCurrentStillReachableIsTriedFirstThenTheOther) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.2:51820");
  current_stops_answering(w);
  EXPECT_EQ(w.manager.phase(), RecoveryPhase::kConfirming);  // staying on .2, probing through it
  EXPECT_TRUE(w.writes.empty());
  ASSERT_GT(cycles_until_confirmed(w), 0);
  EXPECT_EQ(strings(w.writes), (Strings{"192.0.2.1:51820"}));
  EXPECT_EQ(events_of<CandidateUnreachable>(w.events).at(0).address, ep("192.0.2.2:51820"));
}

// ... and back before our probe through it gave up: staying is confirmed, nothing is written.
TEST(EndpointScenario, DownButCurrentBackInTimeStays) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.2:51820");
  current_stops_answering(w);
  ASSERT_EQ(w.manager.phase(), RecoveryPhase::kConfirming);
  w.udp_ok.insert("192.0.2.2:51820");
  EXPECT_EQ(cycles_until_confirmed(w), 1);
  EXPECT_TRUE(w.writes.empty());
  EXPECT_EQ(events_of<SwitchConfirmed>(w.events).at(0).endpoint, ep("192.0.2.2:51820"));
}

TEST(EndpointScenario, DownAndCurrentNeverRecoversMovesAfterTheConfirmWindow) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.2:51820");
  w.set_dns("vpn.example", answer({"192.0.2.1", "192.0.2.2"}, 300s));
  w.icmp_ok = {"192.0.2.1", "192.0.2.2"};  // pings pass, UDP to .2 is filtered
  w.udp_ok = {"192.0.2.1:51820"};
  ASSERT_GT(cycles_until_confirmed(w, 40), 0);
  EXPECT_EQ(strings(w.writes), (Strings{"192.0.2.1:51820"}));
  EXPECT_EQ(events_of<CandidateUnreachable>(w.events).at(0).cause,
            CandidateUnreachable::Cause::kNoHandshake);
}

TEST(EndpointScenario, HandshakeProbeTriesACandidateThatFiltersIcmp) {
  for (ProbeMethod method : {ProbeMethod::kIcmp, ProbeMethod::kHandshake}) {
    EndpointPolicy p = fast_policy();
    p.probe = method;
    World w(p, {hp("a.example:51820"), hp("203.0.113.7:51820")}, "192.0.2.1:51820");
    w.set_dns("a.example", answer({"192.0.2.1"}, 300s));
    w.icmp_ok = {};  // nothing answers ICMP
    w.udp_ok = {"203.0.113.7:51820"};
    const int took = cycles_until_confirmed(w, 60);
    if (method == ProbeMethod::kIcmp) {
      EXPECT_EQ(took, -1);
      EXPECT_TRUE(w.writes.empty());
    } else {
      EXPECT_GT(took, 0);
      EXPECT_EQ(strings(w.writes), (Strings{"203.0.113.7:51820"}));
    }
  }
}

TEST(EndpointScenario, PeerRemovedWhileASwitchIsInFlightIsNotRecreated) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.1:51820");
  w.set_dns("vpn.example", answer({"192.0.2.1", "192.0.2.2"}, 300s));
  w.icmp_ok = {"192.0.2.2"};
  w.udp_ok = {};  // the target does not answer WireGuard either: the switch stays in flight
  while (w.writes.empty() && w.now() < MonoTime{std::chrono::hours(2000)}) w.cycle();
  ASSERT_EQ(w.manager.phase(), RecoveryPhase::kConfirming);
  w.removed = true;  // World fails the test on any later write
  w.apply(w.manager.remove(w.now()));
  EXPECT_EQ(events_of<SwitchAborted>(w.events).size(), 1u);
  w.run(600);
  EXPECT_EQ(w.writes.size(), 1u);
}

TEST(EndpointScenario, DnsServerDownGivesEventsAndRecoversWhenItReturns) {
  World w(fast_policy(), {hp("vpn.example:51820")}, "192.0.2.1:51820");
  // No DNS answer at all (timeouts); the link dies; the peer lives on a new address.
  w.udp_ok = {"198.51.100.5:51820"};
  w.icmp_ok = {"198.51.100.5"};
  w.run(30);
  EXPECT_TRUE(w.writes.empty());
  const auto failed = events_of<ResolveFailed>(w.events);
  ASSERT_GE(failed.size(), 3u);
  EXPECT_FALSE(failed[0].permanent);
  w.set_dns("vpn.example", answer({"198.51.100.5"}, 60s));  // the server is back
  ASSERT_GT(cycles_until_confirmed(w, 60), 0);  // by the next slot of towalink/wgtrack's schedule
  EXPECT_EQ(strings(w.writes), (Strings{"198.51.100.5:51820"}));
}

TEST(EndpointScenario, PeerThatNeverHandshookOnADeadBootAddressIsRecovered) {
  // wg-quick resolved the AAAA at boot; IPv6 is black-holed, so no handshake ever happens and
  // the tracker says kNever (not kDown) forever.
  World w(fast_policy(), {hp("vpn.example:51820")}, "[2001:db8::1]:51820");
  w.set_dns("vpn.example", answer({"2001:db8::1", "192.0.2.1"}, 300s));
  w.icmp_ok = {"192.0.2.1"};
  w.udp_ok = {"192.0.2.1:51820"};
  w.auto_health = false;
  w.link.health = PeerHealth::kNever;
  w.run(19);
  EXPECT_TRUE(w.writes.empty()) << "within the grace";
  const int took = cycles_until_confirmed(w, 10);
  EXPECT_GT(took, 0);
  EXPECT_EQ(strings(w.writes), (Strings{"192.0.2.1:51820"}));
  // The in-tunnel echo, which WireGuard holds until the handshake it starts completes, comes
  // back through the new address (the handshake comes with it).
  EXPECT_EQ(events_of<SwitchConfirmed>(w.events).at(0).via, SwitchConfirmed::Via::kProbe);
  EXPECT_GE(w.tunnel_probes, 1);
}

}  // namespace
}  // namespace wgtrack::endpoint
