#include "snapshot/snapshot_builder.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
const PublicKey kB = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");

std::shared_ptr<const config::Config> cfg(const std::string& text) {
  auto r = config::parse_config(text, "test.conf");
  EXPECT_TRUE(r.ok());
  return std::make_shared<const config::Config>(std::move(r.config));
}

class SnapshotBuilderTest : public ::testing::Test {
 protected:
  SnapshotBuilderTest()
      : monitor(cfg("[general]\ncycle_time = 1\nping_interval = 1\n[peer:" + kA.to_base64() +
                    "]\nname = office\n")) {
    Peer a;
    a.public_key = kA;
    a.endpoint = *Endpoint::parse("192.0.2.2:51820");
    a.allowed_ips = {*IpPrefix::parse("10.0.0.2/32")};
    a.last_handshake = wall - 10s;
    a.rx_bytes = 100;
    a.tx_bytes = 200;
    a.persistent_keepalive = 25;
    Peer b;
    b.public_key = kB;
    b.allowed_ips = {*IpPrefix::parse("10.0.0.3/32")};
    device.name = "wg0";
    device.listen_port = 51820;
    device.peers = {a, b};
  }
  CycleOutput cycle() {
    CycleOutput out;
    monitor.run_cycle({{device.name, device}}, mono, wall, out);
    self.record_cycle(3ms, out.stats.backend_ok, out.events);
    return out;
  }
  Snapshot snap() { return build_snapshot(monitor, self, mono, wall); }

  Monitor monitor;
  SelfMetrics self;
  Device device;
  MonoTime mono{1000s};
  WallTime wall{1763771123s};
};

TEST_F(SnapshotBuilderTest, CopiesDeviceHealthAndNamesSortedByKey) {
  cycle();
  const Snapshot s = snap();
  EXPECT_EQ(s.taken_at, wall);
  ASSERT_EQ(s.interfaces.size(), 1u);
  const InterfaceSnapshot& i = s.interfaces[0];
  EXPECT_EQ(i.name, "wg0");
  EXPECT_EQ(i.listen_port, 51820);
  ASSERT_EQ(i.peers.size(), 2u);
  // "hJpM..." sorts before "rtgr...".
  EXPECT_EQ(i.peers[0].key, kB.to_base64());
  EXPECT_EQ(i.peers[1].key, kA.to_base64());
  const PeerSnapshot& a = i.peers[1];
  EXPECT_EQ(a.name, "office");
  EXPECT_EQ(a.health, PeerHealth::kUp);
  EXPECT_EQ(a.handshake_age, std::chrono::nanoseconds(10s));
  EXPECT_EQ(a.rx_bytes, 100u);
  EXPECT_EQ(a.persistent_keepalive, 25);
  EXPECT_EQ(a.state_since, wall);
  EXPECT_EQ(a.probes.sent, 1u);  // ping_interval = 1: ordered in the first cycle
  ASSERT_EQ(a.endpoint_changes.size(), 1u);
  EXPECT_EQ(a.endpoint_changes[0], (ReasonCount{"roamed", 0}));
  const PeerSnapshot& b = i.peers[0];
  EXPECT_EQ(b.name, "");
  EXPECT_EQ(b.health, PeerHealth::kNever);
  EXPECT_FALSE(b.handshake_age.has_value());
  EXPECT_FALSE(b.last_handshake.has_value());
  EXPECT_EQ(b.probes.sent, 0u);  // no endpoint: nothing to probe
  EXPECT_EQ(i.count(PeerHealth::kUp), 1u);
  EXPECT_EQ(i.count(PeerHealth::kNever), 1u);
  EXPECT_EQ(s.self.cycles, 1u);
  EXPECT_EQ(s.self.event_count(EventType::kInitialStatus), 2u);
}

TEST_F(SnapshotBuilderTest, StateSinceIsTheWallTimeOfTheTransition) {
  cycle();
  mono += 5s;
  wall += 5s;
  const Snapshot s = snap();
  EXPECT_EQ(s.interfaces[0].peers[1].state_since, wall - 5s);
  EXPECT_EQ(s.interfaces[0].peers[1].handshake_age, std::chrono::nanoseconds(15s));
}

TEST_F(SnapshotBuilderTest, ProbeResultsAndEndpointChangesAreCounted) {
  cycle();
  monitor.add_probe_result("wg0", kA, {mono, true, 1500us});
  monitor.add_probe_result("wg0", kA, {mono, false, std::nullopt});
  mono += 1s;
  wall += 1s;
  device.peers[0].endpoint = *Endpoint::parse("192.0.2.9:51820");
  cycle();
  const Snapshot s = snap();
  const PeerSnapshot& a = s.interfaces[0].peers[1];
  EXPECT_EQ(a.probes.sent, 2u);
  EXPECT_EQ(a.probes.lost, 1u);
  EXPECT_EQ(a.probes.last_rtt, std::chrono::nanoseconds(1500us));
  ASSERT_EQ(a.endpoint_changes.size(), 1u);
  EXPECT_EQ(a.endpoint_changes[0], (ReasonCount{"roamed", 1}));
}

TEST_F(SnapshotBuilderTest, RemovedPeerDisappearsWithItsCounters) {
  cycle();
  monitor.add_probe_result("wg0", kA, {mono, false, std::nullopt});
  device.peers.erase(device.peers.begin());  // kA
  mono += 1s;
  wall += 1s;
  cycle();
  const Snapshot s = snap();
  ASSERT_EQ(s.interfaces[0].peers.size(), 1u);
  EXPECT_EQ(s.interfaces[0].peers[0].public_key, kB);
  // A late probe reply for the removed peer does not bring it back.
  monitor.add_probe_result("wg0", kA, {mono, true, 1ms});
  EXPECT_EQ(monitor.find("wg0", kA), nullptr);
  EXPECT_EQ(snap().interfaces[0].peers.size(), 1u);
}

TEST_F(SnapshotBuilderTest, RemovedInterfaceDisappears) {
  cycle();
  mono += 1s;
  wall += 1s;
  CycleOutput out;
  monitor.run_cycle({}, mono, wall, out);
  EXPECT_TRUE(snap().interfaces.empty());
  EXPECT_EQ(monitor.find("wg0", kA), nullptr);
}

TEST_F(SnapshotBuilderTest, ReasonIsWhyThePeerIsInItsState) {
  cycle();
  EXPECT_EQ(snap().interfaces[0].peers[1].reason, "daemon started");
}

TEST_F(SnapshotBuilderTest, RatesAreDeltasOverTheMonotonicTimeSinceThePreviousSnapshot) {
  cycle();
  const Snapshot first = snap();
  EXPECT_EQ(first.taken_at_mono, mono);
  EXPECT_FALSE(first.interfaces[0].peers[1].rx_rate.has_value());  // no previous snapshot
  mono += 2s;
  wall += 7s;  // a wall clock step must not change the rate
  device.peers[0].rx_bytes += 1000;
  device.peers[0].tx_bytes += 3;
  cycle();
  const Snapshot second = build_snapshot(monitor, self, mono, wall, &first);
  const PeerSnapshot& a = second.interfaces[0].peers[1];
  EXPECT_EQ(a.rx_rate, 500.0);
  EXPECT_EQ(a.tx_rate, 1.5);
  EXPECT_EQ(second.interfaces[0].peers[0].rx_rate, 0.0);  // kB: idle, but known
}

TEST_F(SnapshotBuilderTest, ASnapshotBetweenCyclesCarriesTheRegularRates) {
  cycle();
  const Snapshot first = snap();
  mono += 2s;
  device.peers[0].rx_bytes += 1000;
  cycle();
  const Snapshot regular = build_snapshot(monitor, self, mono, wall, &first);
  mono += 300ms;
  device.peers[0].rx_bytes += 5000;  // a burst within the early re-evaluation's 300 ms
  cycle();
  Snapshot early = build_snapshot(monitor, self, mono, wall);
  EXPECT_FALSE(early.interfaces[0].peers[1].rx_rate.has_value());
  carry_rates(early, regular);
  EXPECT_EQ(early.interfaces[0].peers[1].rx_rate, 500.0);  // the regular cycle's, not 16667
  EXPECT_EQ(early.interfaces[0].peers[1].rx_bytes, 6100u);  // the counters are current
  EXPECT_EQ(early.interfaces[0].peers[0].rx_rate, 0.0);
}

TEST_F(SnapshotBuilderTest, CounterResetAndNewPeersHaveNoRate) {
  device.peers.pop_back();  // only kA at first
  cycle();
  const Snapshot first = snap();
  mono += 1s;
  wall += 1s;
  Peer b;
  b.public_key = kB;
  device.peers.push_back(b);
  device.peers[0].rx_bytes = 10;  // was 100: the interface restarted
  cycle();
  const Snapshot second = build_snapshot(monitor, self, mono, wall, &first);
  ASSERT_EQ(second.interfaces[0].peers.size(), 2u);
  EXPECT_FALSE(second.interfaces[0].peers[0].rx_rate.has_value());  // kB is new
  EXPECT_FALSE(second.interfaces[0].peers[1].rx_rate.has_value());  // rx went backwards
  EXPECT_EQ(second.interfaces[0].peers[1].tx_rate, 0.0);
  // Same monotonic instant: no interval, no rate (never a division by zero).
  const Snapshot same = build_snapshot(monitor, self, mono, wall, &second);
  EXPECT_FALSE(same.interfaces[0].peers[1].tx_rate.has_value());
}

TEST(SelfMetricsTest, CountsCyclesErrorsAndEvents) {
  SelfMetrics m;
  std::vector<Event> events(2);
  events[0].type = EventType::kHandshake;
  events[1].type = EventType::kStatusChange;
  m.record_cycle(2ms, false, events);
  m.record_backend_error(ErrorCode::kPermissionDenied);
  EXPECT_EQ(m.cycles, 1u);
  EXPECT_EQ(m.last_cycle_duration, std::chrono::nanoseconds(2ms));
  EXPECT_FALSE(m.last_cycle_ok);
  EXPECT_EQ(m.backend_error_count(ErrorCode::kPermissionDenied), 1u);
  EXPECT_EQ(m.event_count(EventType::kHandshake), 1u);
  EXPECT_EQ(error_code_label(ErrorCode::kInvalidInput), "invalid_input");
}

TEST(CountsAsUpTest, DownAndNeverAreNotUp) {
  EXPECT_TRUE(counts_as_up(PeerHealth::kUp));
  EXPECT_TRUE(counts_as_up(PeerHealth::kIdle));
  EXPECT_TRUE(counts_as_up(PeerHealth::kStale));
  EXPECT_FALSE(counts_as_up(PeerHealth::kDown));
  EXPECT_FALSE(counts_as_up(PeerHealth::kNever));
}

}  // namespace
}  // namespace wgtrack
