// Endpoint recovery inside the Monitor, on a fake timeline: a managed peer's record observes
// each read, its decisions come out as orders and events, and the answers go back in.
#include <gtest/gtest.h>

#include <optional>

#include "endpoint/endpoint_test_util.h"
#include "monitor/monitor.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using endpoint::test::answer;
using endpoint::test::ep;

const PublicKey kField = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
const PublicKey kHub = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");
const PeerRef kFieldRef{"wg0", kField};

std::shared_ptr<const config::Config> cfg(const std::string& field_section) {
  auto r = config::parse_config("[general]\ncycle_time = 1\nping_failafternum = 1\n[peer:" +
                                    kField.to_base64() + "]\n" + field_section,
                                "test.conf");
  EXPECT_TRUE(r.ok()) << config::format_diagnostics(r.diagnostics);
  return std::make_shared<const config::Config>(std::move(r.config));
}

class PeerRecoveryStory : public ::testing::Test {
 protected:
  PeerRecoveryStory() : m(cfg("endpoints = vpn.example:51820\n")) {
    Peer field;
    field.public_key = kField;
    field.endpoint = ep("192.0.2.1:51820");
    field.allowed_ips = {*IpPrefix::parse("10.0.0.1/32")};
    Peer hub;  // a dial-in peer: nothing to recover with
    hub.public_key = kHub;
    hub.endpoint = ep("198.51.100.9:51820");
    hub.allowed_ips = {*IpPrefix::parse("10.0.0.2/32")};
    device.name = "wg0";
    device.peers = {field, hub};
  }
  Peer& field() { return device.peers[0]; }
  CycleOutput cycle() {
    for (Peer& p : device.peers) p.last_handshake = healthy ? wall : wall - 300s;
    if (never_connected) field().last_handshake.reset();
    CycleOutput out;
    m.run_cycle({{device.name, device}}, mono, wall, out);
    mono += 1s;
    wall += 1s;
    return out;
  }
  // Down by one lost probe (ping_failafternum = 1), the handshake old.
  CycleOutput go_down() {
    healthy = false;
    m.add_probe_result("wg0", kField, {mono - 500ms, false});
    return cycle();
  }
  // Healthy and resolved to .1 and .2, then down on .1: the round finds .2 and switches to it.
  // Returns what the last probe answer led to (the write, the traffic probe, the event).
  RecoveryOutput switch_to_second() {
    first = cycle();
    RecoveryOutput dns;
    m.resolved(kFieldRef, first.recovery.resolves.at(0).host, answer({"192.0.2.1", "192.0.2.2"}),
               mono, wall, 0.5, dns);
    const CycleOutput down = go_down();
    round = down.recovery.probes.at(0);
    RecoveryOutput out;
    m.probed(kFieldRef, round.round, {ep("192.0.2.1:51820"), false}, mono, wall, out);
    m.probed(kFieldRef, round.round, {ep("192.0.2.2:51820"), true}, mono, wall, out);
    return out;
  }
  static const Event* find(const std::vector<Event>& events, EventType type) {
    for (const Event& e : events)
      if (e.type == type) return &e;
    return nullptr;
  }

  Monitor m;
  Device device;
  bool healthy = true;
  bool never_connected = false;
  CycleOutput first;                      // switch_to_second's first cycle
  RecoveryOrders::CandidateProbes round;  // ... and its probe round
  MonoTime mono{std::chrono::seconds(1000)};
  WallTime wall{std::chrono::seconds(1795309440)};
};

TEST_F(PeerRecoveryStory, OnlyPeersWithHostsAreManagedAndAHealthyNameIsResolved) {
  CycleOutput first = cycle();
  EXPECT_EQ(m.managed_peers(), 1u);
  EXPECT_TRUE(m.find("wg0", kField)->recovery);
  EXPECT_FALSE(m.find("wg0", kHub)->recovery);
  ASSERT_EQ(first.recovery.resolves.size(), 1u);  // the TTL regime starts with a lookup
  EXPECT_EQ(first.recovery.resolves[0].peer, kFieldRef);
  EXPECT_EQ(first.recovery.resolves[0].host.to_string(), "vpn.example:51820");
  EXPECT_TRUE(first.recovery.writes.empty());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(cycle().recovery.writes.empty());  // healthy: stays
}

TEST_F(PeerRecoveryStory, ADownPeerIsProbedSwitchedAndTheSwitchIsNotAlsoARoam) {
  const CycleOutput first = cycle();
  RecoveryOutput dns;
  m.resolved(kFieldRef, first.recovery.resolves[0].host, answer({"192.0.2.1", "192.0.2.2"}), mono,
             wall, 0.5, dns);
  const CycleOutput down = go_down();
  ASSERT_NE(find(down.events, EventType::kStatusChange), nullptr);
  ASSERT_EQ(down.recovery.probes.size(), 1u);
  const auto& round = down.recovery.probes[0];
  ASSERT_EQ(round.probes.size(), 2u);
  RecoveryOutput a, b;
  m.probed(kFieldRef, round.round, {ep("192.0.2.1:51820"), false}, mono, wall, a);
  m.probed(kFieldRef, round.round, {ep("192.0.2.2:51820"), true}, mono, wall, b);
  ASSERT_EQ(b.orders.writes.size(), 1u);
  EXPECT_EQ(b.orders.writes[0].endpoint.to_string(), "192.0.2.2:51820");
  ASSERT_EQ(b.orders.traffic.size(), 1u);  // an in-tunnel packet makes the handshake happen
  EXPECT_EQ(b.orders.traffic[0].target.address_string(), "10.0.0.1");
  const Event* changed = find(b.events, EventType::kEndpointChanged);
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->reason, "failover");
  EXPECT_EQ(changed->status, "down");
  EXPECT_EQ(changed->endpoint->to_string(), "192.0.2.2:51820");
  const auto failover = static_cast<std::size_t>(endpoint::ChangeReason::kFailover);
  EXPECT_EQ(m.find("wg0", kField)->endpoint_changes[failover], 1u);
  EXPECT_TRUE(m.next_recovery_deadline().has_value());  // the confirm window

  RecoveryOutput written;
  m.write_done(b.orders.writes[0], std::nullopt, mono, wall, written);
  field().endpoint = ep("192.0.2.2:51820");  // the read shows our write
  healthy = true;                            // a new handshake
  const CycleOutput after = cycle();
  EXPECT_EQ(find(after.events, EventType::kEndpointChanged), nullptr);  // announced already
  const auto roamed = static_cast<std::size_t>(endpoint::ChangeReason::kRoamed);
  EXPECT_EQ(m.find("wg0", kField)->endpoint_changes[roamed], 0u);
  // The handshake proves both directions, but the lost probe still holds the peer down: one
  // more probe through the new endpoint settles it.
  auto has = [](const std::vector<LogLine>& log, const char* what) {
    bool found = false;
    for (const LogLine& l : log) found |= l.text.find(what) != std::string::npos;
    return found;
  };
  EXPECT_EQ(m.find("wg0", kField)->health.state(), PeerHealth::kDown);
  EXPECT_FALSE(has(after.log, "confirmed"));
  ASSERT_EQ(after.recovery.traffic.size(), 1u);
  RecoveryOutput answered;
  m.probe_answered(kFieldRef, {mono, true, 1ms}, mono, wall, answered);
  const CycleOutput settled = cycle();
  EXPECT_EQ(m.find("wg0", kField)->health.state(), PeerHealth::kUp);
  EXPECT_TRUE(has(settled.log, "confirmed by handshake"));
}

TEST_F(PeerRecoveryStory, AnInTunnelReplyThroughTheNewEndpointConfirmsIt) {
  const RecoveryOutput out = switch_to_second();
  ASSERT_EQ(out.orders.writes.size(), 1u);
  ASSERT_EQ(out.orders.traffic.size(), 1u);
  // The handshake is 300 s old: no keypair, WireGuard queues the echo for a new handshake.
  EXPECT_EQ(out.orders.traffic[0].timeout, 6000ms);
  const std::uint64_t sent = m.find("wg0", kField)->probes.sent;
  RecoveryOutput written;
  m.write_done(out.orders.writes[0], std::nullopt, mono, wall, written);
  field().endpoint = ep("192.0.2.2:51820");
  // Only the reply proves it here: the read shows no new handshake.
  RecoveryOutput answered;
  m.probe_answered(kFieldRef, {mono, true, 2ms}, mono + 2ms, wall, answered);
  ASSERT_EQ(answered.orders.reads.size(), 1u);  // read now, so the tracker takes the reply
  EXPECT_EQ(answered.orders.reads[0], "wg0");
  const CycleOutput after = cycle();
  EXPECT_EQ(m.find("wg0", kField)->health.state(), PeerHealth::kUp);
  bool confirmed = false;
  for (const LogLine& l : after.log)
    confirmed |= l.text.find("confirmed by probe") != std::string::npos;
  EXPECT_TRUE(confirmed);
  // The traffic probe was counted when ordered; the cycle ordered its regular one.
  EXPECT_EQ(m.find("wg0", kField)->probes.sent, sent + 1);
  EXPECT_EQ(m.find("wg0", kField)->probes.lost, 1u);  // the one that took it down
}

// wg-quick up without DNS (or a name that did not resolve at boot) leaves the peer without an
// endpoint: as soon as DNS answers, it gets one.
TEST_F(PeerRecoveryStory, APeerWithoutAnEndpointGetsOneWhenDnsAnswers) {
  field().endpoint.reset();
  never_connected = true;
  const CycleOutput first = cycle();
  ASSERT_EQ(first.recovery.resolves.size(), 1u);
  for (const ProbeOrder& p : first.probes) EXPECT_NE(p.peer, kField);  // nowhere to send yet
  RecoveryOutput dns;
  m.resolved(kFieldRef, first.recovery.resolves[0].host, answer({"192.0.2.2"}), mono, wall, 0.5,
             dns);
  // Nothing to wait for (no never_grace, no cycles_wait): the answer starts the round.
  ASSERT_EQ(dns.orders.probes.size(), 1u);
  const std::optional<RecoveryOrders::CandidateProbes> round = dns.orders.probes[0];
  RecoveryOutput out;
  m.probed(kFieldRef, round->round, {ep("192.0.2.2:51820"), true}, mono, wall, out);
  ASSERT_EQ(out.orders.writes.size(), 1u);
  EXPECT_EQ(out.orders.writes[0].endpoint.to_string(), "192.0.2.2:51820");
  ASSERT_EQ(out.orders.traffic.size(), 1u);  // follows the write: the peer has an endpoint then
  EXPECT_EQ(out.orders.traffic[0].timeout, 6000ms);  // no keypair: waits for the handshake
  const Event* changed = find(out.events, EventType::kEndpointChanged);
  ASSERT_NE(changed, nullptr);
  EXPECT_FALSE(changed->old_endpoint);
  EXPECT_EQ(changed->reason, "reresolve");
}

TEST_F(PeerRecoveryStory, AFailedWriteIsAbandonedAndRetriedAfterABackOff) {
  const CycleOutput first = cycle();
  RecoveryOutput dns;
  m.resolved(kFieldRef, first.recovery.resolves[0].host,
             answer({"192.0.2.1", "192.0.2.2", "192.0.2.3"}), mono, wall, 0.5, dns);
  const CycleOutput down = go_down();
  ASSERT_EQ(down.recovery.probes.size(), 1u);
  const auto& round = down.recovery.probes[0];
  RecoveryOutput out;
  m.probed(kFieldRef, round.round, {ep("192.0.2.1:51820"), false}, mono, wall, out);
  m.probed(kFieldRef, round.round, {ep("192.0.2.2:51820"), true}, mono, wall, out);
  m.probed(kFieldRef, round.round, {ep("192.0.2.3:51820"), true}, mono, wall, out);
  ASSERT_EQ(out.orders.writes.size(), 1u);
  RecoveryOutput next;
  m.write_done(out.orders.writes[0], Error{ErrorCode::kTransient, "EIO"}, mono, wall, next);
  EXPECT_TRUE(next.orders.writes.empty());  // no tight loop on a backend that fails writes
  ASSERT_EQ(next.log.size(), 1u);
  EXPECT_NE(next.log[0].text.find("abandoned: write failed: EIO"), std::string::npos)
      << next.log[0].text;
  EXPECT_FALSE(m.find("wg0", kField)->our_write);  // nothing was written
  const auto retry = m.next_recovery_deadline();
  ASSERT_TRUE(retry);
  EXPECT_GT(*retry, mono);
}

TEST_F(PeerRecoveryStory, ARemovedPeersSwitchIsAbortedAndNothingIsWrittenForItAgain) {
  const RecoveryOutput out = switch_to_second();
  ASSERT_EQ(out.orders.writes.size(), 1u);
  device.peers.erase(device.peers.begin());  // the field peer is removed
  const CycleOutput gone = cycle();
  EXPECT_EQ(m.find("wg0", kField), nullptr);
  EXPECT_EQ(m.managed_peers(), 0u);
  bool aborted = false;
  for (const LogLine& l : gone.log) aborted |= l.text.find("abandoned") != std::string::npos;
  EXPECT_TRUE(aborted);
  EXPECT_TRUE(gone.recovery.empty());
  // Late answers for it are dropped.
  RecoveryOutput late;
  m.probed(kFieldRef, round.round, {ep("192.0.2.2:51820"), true}, mono, wall, late);
  m.resolved(kFieldRef, first.recovery.resolves[0].host, answer({"192.0.2.9"}), mono, wall, 0.5,
             late);
  m.write_done(out.orders.writes[0], Error{ErrorCode::kTransient, "EIO"}, mono, wall, late);
  m.tick(mono + 60s, wall + 60s, late);
  EXPECT_TRUE(late.orders.empty());
  EXPECT_TRUE(late.events.empty());
}

TEST_F(PeerRecoveryStory, ReloadKeepsTheStateWhenHostsStayAndStartsAfreshWhenTheyChange) {
  cycle();
  const endpoint::EndpointManager* first = m.find("wg0", kField)->recovery.get();
  ASSERT_NE(first, nullptr);
  m.set_config(cfg("endpoints = vpn.example:51820\nconfirm = 20s\n"));
  EXPECT_EQ(m.find("wg0", kField)->recovery.get(), first);  // same hosts: same machine
  m.set_config(cfg("endpoints = vpn.example:51820, 203.0.113.7:51820\n"));
  cycle();
  ASSERT_TRUE(m.find("wg0", kField)->recovery);
  EXPECT_EQ(m.find("wg0", kField)->recovery->status(mono).hosts.size(), 2u);
  m.set_config(cfg("name = field\n"));  // no candidate host any more
  EXPECT_EQ(m.managed_peers(), 0u);
  cycle();
  EXPECT_EQ(m.managed_peers(), 0u);
  EXPECT_FALSE(m.next_recovery_deadline());
}

TEST_F(PeerRecoveryStory, WithoutAnyoneToCarryItOutRecoveryIsOff) {
  m.allow_recovery(false);
  const CycleOutput out = cycle();
  EXPECT_EQ(m.managed_peers(), 0u);
  EXPECT_TRUE(out.recovery.empty());
}

}  // namespace
}  // namespace wgtrack
