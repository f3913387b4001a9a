#include "monitor/monitor.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
const PublicKey kB = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");

std::shared_ptr<const config::Config> cfg(const std::string& text) {
  auto r = config::parse_config(text, "test.conf");
  EXPECT_TRUE(r.ok()) << config::format_diagnostics(r.diagnostics);
  return std::make_shared<const config::Config>(std::move(r.config));
}

Peer peer(const PublicKey& k, const char* endpoint, const char* allowed) {
  Peer p;
  p.public_key = k;
  if (endpoint) p.endpoint = *Endpoint::parse(endpoint);
  p.allowed_ips = {*IpPrefix::parse(allowed)};
  return p;
}

// A story on a fake timeline: the device content per cycle is scripted, probes are answered
// by the test, time advances by cycle_time.
class MonitorStory : public ::testing::Test {
 protected:
  void SetUp() override {
    Device d;
    d.name = "wg0";
    d.peers = {peer(kA, "192.0.2.2:51820", "203.0.113.2/32"), peer(kB, nullptr, "198.51.100.0/24")};
    device = d;
  }
  CycleOutput cycle(Monitor& m) {
    CycleOutput out;
    std::vector<InterfaceRead> reads;
    for (const Device& d : extra) reads.push_back({d.name, d});
    if (present) reads.insert(reads.begin(), {device.name, device});
    m.run_cycle(std::move(reads), mono, wall, out);
    mono += step;
    wall += step;
    return out;
  }
  // Handshake "now" and some traffic both ways: a healthy, busy peer.
  void traffic() {
    device.peers[0].last_handshake = wall;
    device.peers[0].rx_bytes += 1000;
    device.peers[0].tx_bytes += 1000;
  }
  static std::vector<const Event*> of(const CycleOutput& o, EventType t) {
    std::vector<const Event*> v;
    for (const auto& e : o.events)
      if (e.type == t) v.push_back(&e);
    return v;
  }

  Device device;
  std::vector<Device> extra;
  bool present = true;
  MonoTime mono{std::chrono::seconds(1000)};
  WallTime wall{std::chrono::seconds(1795309440)};
  std::chrono::nanoseconds step = 1s;
};

TEST_F(MonitorStory, FirstCycleReportsInitialStatusWithConfiguredNames) {
  Monitor m(cfg("[general]\ncycle_time = 1\n[peer:" + kA.to_base64() + "]\nname = office\n"));
  traffic();
  const auto out = cycle(m);
  const auto init = of(out, EventType::kInitialStatus);
  ASSERT_EQ(init.size(), 2u);
  EXPECT_EQ(init[0]->name, "office");
  EXPECT_EQ(init[0]->status, "up");
  EXPECT_EQ(init[0]->reason, "daemon started");
  EXPECT_EQ(init[1]->status, "never");
  EXPECT_EQ(out.stats.peers.up, 1u);
  EXPECT_EQ(m.status_line(), "1 interface, 2 peers: 1 up, 1 never");
}

TEST_F(MonitorStory, ProbesGoToTheHostAllowedIpOfPeersWithAnEndpointOnly) {
  Monitor m(cfg("[general]\ncycle_time = 1\n"));
  const auto out = cycle(m);
  ASSERT_EQ(out.probes.size(), 1u);  // kB has no endpoint and only a /24
  EXPECT_EQ(out.probes[0].peer, kA);
  EXPECT_EQ(out.probes[0].target.address_string(), "203.0.113.2");
  EXPECT_EQ(out.probes[0].timeout, 500ms);
}

TEST_F(MonitorStory, TrafficProbeOnDemandUsesTheProbeTarget) {
  Monitor m(cfg("[general]\ncycle_time = 1\nping_interval = 0\n"));
  EXPECT_FALSE(m.traffic_probe("wg0", kA, 1000ms));  // not tracked yet
  cycle(m);
  const auto order = m.traffic_probe("wg0", kA, 6000ms);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->target.address_string(), "203.0.113.2");
  EXPECT_EQ(order->interface, "wg0");
  EXPECT_EQ(order->timeout, 6000ms);  // as recovery asks: it knows whether a handshake is due
  EXPECT_EQ(m.find("wg0", kA)->probes.sent, 1u);  // an ordinary probe of the peer
  EXPECT_FALSE(m.traffic_probe("wg0", kB, 1000ms));  // only a /24: nothing names the peer
  EXPECT_FALSE(m.traffic_probe("wg9", kA, 1000ms));
}

TEST_F(MonitorStory, TwoLostProbesMakeItDownAndOneGoodProbeBringsItBack) {
  Monitor m(cfg("[general]\ncycle_time = 1\nping_failafternum = 2\n"));
  traffic();
  cycle(m);
  // The path dies: no rx any more, probes are lost.
  for (int i = 0; i < 2; ++i) {
    m.add_probe_result("wg0", kA, ProbeSample{mono - 1s, false, std::nullopt});
    const auto out = cycle(m);
    if (i == 0) {
      EXPECT_TRUE(of(out, EventType::kStatusChange).empty()) << "one lost probe flaps";
    }
    if (i == 1) {
      const auto ch = of(out, EventType::kStatusChange);
      ASSERT_EQ(ch.size(), 1u);
      EXPECT_EQ(ch[0]->old_status, "up");
      EXPECT_EQ(ch[0]->status, "down");
      EXPECT_NE(ch[0]->reason.find("2 probes failed"), std::string::npos) << ch[0]->reason;
      EXPECT_EQ(out.stats.changes, 1u);
    }
  }
  // Sent after the cycle that said down (probes leave after each cycle), answered.
  m.add_probe_result("wg0", kA, ProbeSample{mono - 500ms, true, 3ms});
  const auto last = cycle(m);
  const auto back = of(last, EventType::kStatusChange);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0]->status, "up");
}

TEST_F(MonitorStory, PingIntervalAppliesPerInterface) {
  Monitor m(
      cfg("[general]\ncycle_time = 1\nping_interval = 2\n[interface:wg1]\nping_interval = 0\n"));
  Device wg1 = device;
  wg1.name = "wg1";
  extra = {wg1};
  std::size_t wg0 = 0, other = 0;
  for (int i = 0; i < 4; ++i) {
    for (const auto& p : cycle(m).probes) (p.interface == "wg0" ? wg0 : other)++;
  }
  EXPECT_EQ(wg0, 2u);    // every second cycle
  EXPECT_EQ(other, 0u);  // towalink/wgtrack ignored [interface:] sections; we do not
}

TEST_F(MonitorStory, ReevaluationsOrderNoProbesAndKeepThePingCycle) {
  Monitor m(cfg("[general]\ncycle_time = 1\nping_interval = 2\n"));
  EXPECT_TRUE(cycle(m).probes.empty());  // round 1
  CycleOutput extra_round;
  m.run_cycle({{"wg0", device}}, mono, wall, extra_round, /*probe_round=*/false);
  EXPECT_TRUE(extra_round.probes.empty());
  EXPECT_EQ(cycle(m).probes.size(), 1u);  // round 2: still every second regular cycle
}

TEST_F(MonitorStory, ProbeTargetNoneAndConfiguredAddress) {
  Monitor m(cfg("[peer:" + kA.to_base64() + "]\nprobe_target = none\n[peer:" + kB.to_base64() +
                "]\nprobe_target = 198.51.100.7\n"));
  device.peers[1].endpoint = *Endpoint::parse("192.0.2.3:51820");
  const auto out = cycle(m);
  ASSERT_EQ(out.probes.size(), 1u);
  EXPECT_EQ(out.probes[0].peer, kB);
  EXPECT_EQ(out.probes[0].target.address_string(), "198.51.100.7");
}

TEST_F(MonitorStory, RoamingIsAnEndpointChangeNotADisconnect) {
  Monitor m(cfg(""));
  traffic();
  cycle(m);
  device.peers[0].endpoint = *Endpoint::parse("198.51.100.9:4000");
  traffic();
  const auto out = cycle(m);
  const auto moved = of(out, EventType::kEndpointChanged);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0]->old_endpoint->to_string(), "192.0.2.2:51820");
  EXPECT_EQ(moved[0]->endpoint->to_string(), "198.51.100.9:4000");
  EXPECT_EQ(moved[0]->reason, "roamed");
  EXPECT_TRUE(of(out, EventType::kStatusChange).empty());
  EXPECT_TRUE(of(out, EventType::kPeerRemoved).empty());
}

TEST_F(MonitorStory, PeerAndInterfaceRemovalAndLateInterfaces) {
  Monitor m(cfg(""));
  traffic();
  cycle(m);
  device.peers.pop_back();  // kB removed
  auto out = cycle(m);
  auto gone = of(out, EventType::kPeerRemoved);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]->peer, kB);
  EXPECT_EQ(gone[0]->old_status, "never");
  EXPECT_EQ(gone[0]->status, "removed");

  Device wg9 = device;
  wg9.name = "wg9";
  extra = {wg9};
  out = cycle(m);
  const auto added = of(out, EventType::kPeerAdded);
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0]->interface, "wg9");
  EXPECT_TRUE(of(out, EventType::kInitialStatus).empty());

  present = false;  // wg0 disappears
  out = cycle(m);
  gone = of(out, EventType::kPeerRemoved);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]->interface, "wg0");
  EXPECT_EQ(gone[0]->reason, "interface removed");
  EXPECT_EQ(m.interfaces().size(), 1u);
}

TEST_F(MonitorStory, FailedReadKeepsStateNotFoundRemoves) {
  Monitor m(cfg(""));
  traffic();
  cycle(m);
  CycleOutput out;
  m.run_cycle({{"wg0", Error(ErrorCode::kTimeout, "no answer")}}, mono, wall, out);
  EXPECT_TRUE(out.events.empty());
  EXPECT_FALSE(out.stats.backend_ok);
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_NE(out.warnings[0].find("no answer"), std::string::npos);
  EXPECT_EQ(m.interfaces().size(), 1u);

  CycleOutput gone;
  m.run_cycle({{"wg0", Error(ErrorCode::kNotFound, "gone")}}, mono + 1s, wall + 1s, gone);
  EXPECT_EQ(of(gone, EventType::kPeerRemoved).size(), 2u);
}

TEST_F(MonitorStory, DisabledInterfaceIsIgnored) {
  Monitor m(cfg("[interface:wg0]\nenabled = false\n"));
  EXPECT_TRUE(cycle(m).events.empty());
  EXPECT_TRUE(m.interfaces().empty());
}

TEST_F(MonitorStory, ReloadKeepsStateAndRenames) {
  Monitor m(cfg(""));
  traffic();
  cycle(m);
  m.set_config(cfg("[peer:" + kA.to_base64() + "]\nname = renamed\n"));
  device.peers[0].endpoint = *Endpoint::parse("198.51.100.9:4000");
  traffic();
  const auto out = cycle(m);
  EXPECT_TRUE(of(out, EventType::kInitialStatus).empty());  // no restart of history
  const auto moved = of(out, EventType::kEndpointChanged);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0]->name, "renamed");
}

// Endpoint recovery wrote `e` for kA (as the ActionRunner reports a successful write).
void wrote(Monitor& m, const Endpoint& e) {
  RecoveryOutput ignored;
  m.write_done({{"wg0", kA}, e}, std::nullopt, MonoTime(), WallTime(), ignored);
}

TEST_F(MonitorStory, TheRecordCountsProbesChangesAndWhyThePeerIsInItsState) {
  Monitor m(cfg("[general]\ncycle_time = 1\nping_interval = 1\n"));
  traffic();
  const CycleOutput first = cycle(m);
  ASSERT_EQ(first.probes.size(), 1u);
  const PeerRecord* r = m.find("wg0", kA);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->probes.sent, 1u);
  EXPECT_EQ(r->state_reason, "daemon started");
  m.add_probe_result("wg0", kA, {mono - 1s, false});
  m.add_probe_result("wg0", kA, {mono - 500ms, true, 3ms});
  device.peers[0].endpoint = *Endpoint::parse("198.51.100.7:4000");  // the peer roams
  cycle(m);
  r = m.find("wg0", kA);
  EXPECT_EQ(r->probes.sent, 2u);
  EXPECT_EQ(r->probes.lost, 1u);
  EXPECT_EQ(r->probes.last_rtt, std::chrono::nanoseconds(3ms));
  EXPECT_EQ(r->endpoint_changes[static_cast<std::size_t>(endpoint::ChangeReason::kRoamed)], 1u);
  EXPECT_EQ(r->endpoint_changes[static_cast<std::size_t>(endpoint::ChangeReason::kFailover)], 0u);
  // Two lost probes: down, and the reason says why.
  m.add_probe_result("wg0", kA, {mono - 1s, false});
  m.add_probe_result("wg0", kA, {mono - 500ms, false});
  const CycleOutput down = cycle(m);
  ASSERT_EQ(of(down, EventType::kStatusChange).size(), 1u);
  EXPECT_EQ(m.find("wg0", kA)->state_reason, "2 probes failed");
  // Counters of a peer that is not tracked are not kept anywhere.
  m.add_probe_result("wg0", *PublicKey::from_base64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                     {mono, false});
  m.add_probe_result("wg9", kA, {mono, false});
  EXPECT_EQ(m.find("wg9", kA), nullptr);
}

TEST_F(MonitorStory, ARemovedPeersRecordIsGoneAndALateProbeCannotBringItBack) {
  Monitor m(cfg("[general]\ncycle_time = 1\n[peer:" + kA.to_base64() + "]\nname = office\n"));
  traffic();
  cycle(m);
  ASSERT_NE(m.find("wg0", kA), nullptr);
  const Peer a = device.peers[0];
  device.peers.erase(device.peers.begin());
  const CycleOutput gone = cycle(m);
  const auto removed = of(gone, EventType::kPeerRemoved);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0]->name, "office");  // the record is gone, the event still names it
  EXPECT_EQ(m.find("wg0", kA), nullptr);
  m.add_probe_result("wg0", kA, {mono, false});  // a reply that was in flight
  wrote(m, *Endpoint::parse("192.0.2.9:51820"));
  EXPECT_EQ(m.find("wg0", kA), nullptr);
  device.peers.insert(device.peers.begin(), a);  // back: a fresh record
  cycle(m);
  ASSERT_NE(m.find("wg0", kA), nullptr);
  EXPECT_EQ(m.find("wg0", kA)->probes.lost, 0u);
  EXPECT_FALSE(m.find("wg0", kA)->our_write);
}

TEST_F(MonitorStory, AnEndpointWeWroteIsNotARoamButAnotherChangeIs) {
  Monitor m(cfg("[general]\ncycle_time = 1\n"));
  traffic();
  cycle(m);
  const std::size_t roamed = static_cast<std::size_t>(endpoint::ChangeReason::kRoamed);
  wrote(m, *Endpoint::parse("198.51.100.7:51820"));
  device.peers[0].endpoint = *Endpoint::parse("198.51.100.7:51820");  // our write, seen
  const CycleOutput ours = cycle(m);
  EXPECT_TRUE(of(ours, EventType::kEndpointChanged).empty());
  EXPECT_EQ(m.find("wg0", kA)->endpoint_changes[roamed], 0u);
  EXPECT_FALSE(m.find("wg0", kA)->our_write);
  // We wrote one endpoint, the peer came from another before the read saw ours: its roam.
  wrote(m, *Endpoint::parse("192.0.2.50:51820"));
  device.peers[0].endpoint = *Endpoint::parse("203.0.113.77:6000");
  const CycleOutput theirs = cycle(m);
  const auto changed = of(theirs, EventType::kEndpointChanged);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0]->reason, "roamed");
  EXPECT_EQ(m.find("wg0", kA)->endpoint_changes[roamed], 1u);
  EXPECT_FALSE(m.find("wg0", kA)->our_write);
  // A write of the endpoint that is already there settles without any change event.
  wrote(m, *Endpoint::parse("203.0.113.77:6000"));
  EXPECT_TRUE(m.find("wg0", kA)->our_write);
  cycle(m);
  EXPECT_FALSE(m.find("wg0", kA)->our_write);
}

TEST(MonitorProbeTimeout, BoundedByPeriodAndOneSecond) {
  EXPECT_EQ(Monitor::probe_timeout(500ms), 250ms);
  EXPECT_EQ(Monitor::probe_timeout(30s), 1000ms);
  EXPECT_EQ(Monitor::probe_timeout(50ms), 100ms);
  EXPECT_EQ(Monitor::probe_timeout(1s), 500ms);
}

}  // namespace
}  // namespace wgtrack
