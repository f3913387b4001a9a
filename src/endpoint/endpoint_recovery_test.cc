#include "endpoint/endpoint_recovery.h"

#include <gtest/gtest.h>

#include "endpoint/endpoint_test_util.h"

namespace wgtrack::endpoint {
namespace {

using namespace test;
using namespace std::chrono_literals;

PublicKey key(std::uint8_t b) {
  std::array<std::uint8_t, 32> k{};
  k[0] = b;
  return PublicKey(k);
}

LinkObservation down_at(const char* endpoint) {
  LinkObservation o;
  o.health = PeerHealth::kDown;
  o.endpoint = ep(endpoint);
  o.last_handshake = WallTime(std::chrono::seconds(1'700'000'000));
  o.handshake_age = 300s;
  return o;
}

LinkObservation up_at(const char* endpoint) {
  LinkObservation o = down_at(endpoint);
  o.health = PeerHealth::kUp;
  o.handshake_age = 5s;
  return o;
}

class EndpointRecoveryTest : public ::testing::Test {
 protected:
  EndpointRecoveryTest()
      : recovery_([this](const PeerRef& p) -> std::optional<PeerSetup> {
          ++setup_calls_;
          if (p.peer != field_) return std::nullopt;
          PeerSetup s;
          s.hosts = hosts_;
          s.policy.resolve.cycle_time = 1s;
          return s;
        }) {}

  void cycle(const LinkObservation& field_obs, bool with_field = true) {
    recovery_.begin_cycle();
    if (with_field) recovery_.observe({"wg0", field_}, field_obs, now_, out_);
    recovery_.observe({"wg0", hub_peer_}, up_at("198.51.100.9:51820"), now_, out_);
    recovery_.end_cycle(now_, out_);
  }

  PublicKey field_ = key(1);
  PublicKey hub_peer_ = key(2);
  std::vector<HostPort> hosts_{hp("vpn.example:51820")};
  int setup_calls_ = 0;
  MonoTime now_{std::chrono::seconds(1000)};
  RecoveryActions out_;
  EndpointRecovery recovery_;
};

TEST_F(EndpointRecoveryTest, AsksForTheSetupOncePerPeerAndManagesOnlyPeersWithHosts) {
  for (int i = 0; i < 5; ++i) {
    cycle(up_at("192.0.2.1:51820"));
    now_ += 1s;
  }
  EXPECT_EQ(setup_calls_, 2);
  EXPECT_EQ(recovery_.managed(), 1u);
  EXPECT_NE(recovery_.manager({"wg0", field_}), nullptr);
  EXPECT_EQ(recovery_.manager({"wg0", hub_peer_}), nullptr);
  // A healthy host name is resolved (TTL regime) under the field peer's name.
  ASSERT_EQ(out_.resolves.size(), 1u);
  EXPECT_EQ(out_.resolves[0].peer.peer, field_);
  EXPECT_EQ(out_.resolves[0].host.to_string(), "vpn.example:51820");
  EXPECT_TRUE(out_.writes.empty());
}

TEST_F(EndpointRecoveryTest, DownPeerIsProbedAndSwitchedThroughTheGatheredActions) {
  cycle(up_at("[2001:db8::1]:51820"));
  ASSERT_EQ(out_.resolves.size(), 1u);
  recovery_.resolved({"wg0", field_}, out_.resolves[0].host,
                     answer({"2001:db8::1", "192.0.2.1"}, 300s), now_, 0.5, out_);
  out_ = {};
  now_ += 1s;
  cycle(down_at("[2001:db8::1]:51820"));
  ASSERT_EQ(out_.probes.size(), 1u);
  const auto& probe = out_.probes[0];
  ASSERT_EQ(probe.probes.size(), 2u);
  EXPECT_EQ(probe.probes[0].address.to_string(), "[2001:db8::1]:51820");  // prefer ipv6
  const std::uint64_t round = probe.round;
  recovery_.probed({"wg0", field_}, round, {ep("[2001:db8::1]:51820"), false}, now_, out_);
  recovery_.probed({"wg0", field_}, round, {ep("192.0.2.1:51820"), true}, now_, out_);
  ASSERT_EQ(out_.writes.size(), 1u);
  EXPECT_EQ(out_.writes[0].endpoint.to_string(), "192.0.2.1:51820");
  EXPECT_EQ(out_.writes[0].peer.peer, field_);
  EXPECT_EQ(out_.make_traffic.size(), 1u);
  bool changed = false;
  for (const auto& t : out_.events) {
    if (const auto* c = std::get_if<EndpointChanged>(&t.event)) {
      changed = true;
      EXPECT_EQ(c->reason, ChangeReason::kFailover);
      EXPECT_EQ(t.peer.peer, field_);
    }
  }
  EXPECT_TRUE(changed);
  EXPECT_TRUE(recovery_.next_deadline().has_value());  // the confirm window
}

TEST_F(EndpointRecoveryTest, PeerNotObservedIsRemovedAndItsSwitchAborted) {
  cycle(up_at("192.0.2.1:51820"));
  recovery_.resolved({"wg0", field_}, out_.resolves[0].host,
                     answer({"192.0.2.1", "192.0.2.2"}, 300s), now_, 0.5, out_);
  now_ += 1s;
  cycle(down_at("192.0.2.1:51820"));
  ASSERT_EQ(out_.probes.size(), 1u);
  const std::uint64_t round = out_.probes[0].round;
  recovery_.probed({"wg0", field_}, round, {ep("192.0.2.1:51820"), false}, now_, out_);
  recovery_.probed({"wg0", field_}, round, {ep("192.0.2.2:51820"), true}, now_, out_);
  ASSERT_EQ(out_.writes.size(), 1u);
  out_ = {};
  now_ += 1s;
  cycle(down_at("192.0.2.2:51820"), /*with_field=*/false);  // the peer was removed
  EXPECT_EQ(recovery_.manager({"wg0", field_}), nullptr);
  bool aborted = false;
  for (const auto& t : out_.events) aborted |= std::holds_alternative<SwitchAborted>(t.event);
  EXPECT_TRUE(aborted);
  // Late answers for it are ignored: nothing is ever written for a removed peer.
  recovery_.probed({"wg0", field_}, round, {ep("192.0.2.2:51820"), true}, now_, out_);
  recovery_.tick(now_ + 60s, out_);
  EXPECT_TRUE(out_.writes.empty());
}

TEST_F(EndpointRecoveryTest, ReloadKeepsTheManagerWhenHostsStayAndReplacesItWhenTheyChange) {
  cycle(up_at("192.0.2.1:51820"));
  const EndpointManager* first = recovery_.manager({"wg0", field_});
  ASSERT_NE(first, nullptr);
  recovery_.reload([this](const PeerRef& p) -> std::optional<PeerSetup> {
    if (p.peer != field_) return std::nullopt;
    return PeerSetup{hosts_, {}};
  });
  cycle(up_at("192.0.2.1:51820"));
  EXPECT_EQ(recovery_.manager({"wg0", field_}), first);
  hosts_.push_back(hp("203.0.113.7:51820"));
  recovery_.reload([this](const PeerRef& p) -> std::optional<PeerSetup> {
    if (p.peer != field_) return std::nullopt;
    return PeerSetup{hosts_, {}};
  });
  cycle(up_at("192.0.2.1:51820"));
  ASSERT_NE(recovery_.manager({"wg0", field_}), nullptr);
  EXPECT_EQ(recovery_.manager({"wg0", field_})->status(now_).candidates.size(), 1u);
  recovery_.reload([](const PeerRef&) -> std::optional<PeerSetup> { return std::nullopt; });
  cycle(up_at("192.0.2.1:51820"));
  EXPECT_EQ(recovery_.managed(), 0u);
}

}  // namespace
}  // namespace wgtrack::endpoint
