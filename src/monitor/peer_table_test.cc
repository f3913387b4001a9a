#include "monitor/peer_table.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using Kind = TrackerEvent::Kind;

PublicKey key(std::uint8_t n) {
  PublicKey::Bytes b{};
  b[0] = n;
  return PublicKey(b);
}

Peer peer(std::uint8_t n, WallTime hs, const char* endpoint = "192.0.2.1:51820") {
  Peer p;
  p.public_key = key(n);
  p.endpoint = *Endpoint::parse(endpoint);
  p.last_handshake = hs;
  return p;
}

struct Fixture {
  testing::FakeClock clock;
  PeerTable table{[](const PublicKey& k) {
    ResolvedPeerPolicy p;
    p.name = "peer-" + std::to_string(k.bytes()[0]);
    return p;
  }};
  std::vector<TrackerEvent> events;

  void update(std::vector<Peer> peers) {
    Device d;
    d.name = "wg0";
    d.peers = std::move(peers);
    events.clear();
    table.update(std::move(d), clock.mono_now(), clock.wall_now(), events);
  }
};

TEST(PeerTable, FirstReadLearnsWithoutEvents) {
  Fixture f;
  const WallTime now = f.clock.wall_now();
  f.update({peer(1, now - 10s), peer(2, now - 1h)});
  EXPECT_TRUE(f.events.empty());
  ASSERT_EQ(f.table.records().size(), 2u);
  EXPECT_EQ(f.table.records()[0].health.state(), PeerHealth::kUp);
  EXPECT_EQ(f.table.records()[1].health.state(), PeerHealth::kIdle);
  ASSERT_TRUE(f.table.next_deadline());
  EXPECT_EQ(*f.table.next_deadline() - f.clock.mono_now(), 125s);
}

TEST(PeerTable, AddRemoveRoamHandshakeAndStatus) {
  Fixture f;
  const WallTime t0 = f.clock.wall_now();
  f.update({peer(1, t0 - 10s), peer(2, t0 - 10s), peer(3, t0 - 10s)});
  f.clock.advance(130s);
  const WallTime t1 = f.clock.wall_now();
  f.update({peer(1, t1 - 1s, "198.51.100.9:4000"), peer(3, t0 - 10s), peer(4, t1 - 2s)});
  // peer 1 roamed and handshook, 2 removed, 4 added, 3 went idle (handshake 140 s old).
  std::vector<std::pair<Kind, std::uint8_t>> got;
  for (const auto& e : f.events) got.emplace_back(e.kind, e.peer.bytes()[0]);
  EXPECT_EQ(got, (std::vector<std::pair<Kind, std::uint8_t>>{{Kind::kEndpointChanged, 1},
                                                             {Kind::kHandshake, 1},
                                                             {Kind::kPeerRemoved, 2},
                                                             {Kind::kPeerAdded, 4},
                                                             {Kind::kStatusChange, 3}}));
  EXPECT_EQ(f.events[0].old_endpoint->to_string(), "192.0.2.1:51820");
  EXPECT_EQ(f.events[0].endpoint->to_string(), "198.51.100.9:4000");
  EXPECT_EQ(f.events[2].transition->to, PeerHealth::kRemoved);
  EXPECT_EQ(f.events[4].transition->to, PeerHealth::kIdle);
  ASSERT_EQ(f.table.records().size(), 3u);
  EXPECT_EQ(f.table.records()[2].health.state(), PeerHealth::kUp);
  EXPECT_EQ(f.table.device().peers[2].public_key, key(4));
}

TEST(PeerTable, ProbesReachTheirPeerAndAreCounted) {
  Fixture f;
  const WallTime t0 = f.clock.wall_now();
  f.update({peer(1, t0), peer(2, t0)});
  f.table.find(key(2))->probes.pending = {{f.clock.mono_now(), false},
                                          {f.clock.mono_now() + 1s, false}};
  f.table.find(key(1))->probes.pending = {{f.clock.mono_now(), true, 7ms}};
  f.clock.advance(2s);
  f.update({peer(1, t0), peer(2, t0)});
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].peer, key(2));
  EXPECT_EQ(f.events[0].transition->reason.text, "2 probes failed");
  EXPECT_EQ(f.table.find(key(2))->probes.lost, 2u);
  EXPECT_TRUE(f.table.find(key(2))->probes.pending.empty());
  EXPECT_EQ(f.table.find(key(1))->probes.lost, 0u);
  EXPECT_EQ(f.table.find(key(1))->probes.last_rtt, 7ms);
}

TEST(PeerTable, ARecordLivesExactlyAsLongAsItsPeer) {
  Fixture f;
  const WallTime t0 = f.clock.wall_now();
  f.update({peer(1, t0), peer(2, t0), peer(3, t0)});
  f.table.find(key(2))->probes.sent = 5;
  f.table.find(key(3))->state_reason = "kept";
  f.update({peer(1, t0), peer(3, t0)});  // 2 is gone
  EXPECT_EQ(f.table.find(key(2)), nullptr);
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].kind, Kind::kPeerRemoved);
  EXPECT_EQ(f.events[0].name, "peer-2");  // what the gone record knew
  // The others kept their records through the re-seat, and find() follows the new order.
  ASSERT_NE(f.table.find(key(3)), nullptr);
  EXPECT_EQ(f.table.find(key(3))->state_reason, "kept");
  EXPECT_EQ(f.table.find(key(3)), &f.table.records()[1]);
  f.update({peer(1, t0), peer(2, t0), peer(3, t0)});  // 2 is back: a new record, from zero
  ASSERT_NE(f.table.find(key(2)), nullptr);
  EXPECT_EQ(f.table.find(key(2))->probes.sent, 0u);
  EXPECT_EQ(f.table.find(key(2))->policy.name, "peer-2");
}

TEST(PeerTable, ReloadResolvesEveryPolicyAndKeepsTheRest) {
  Fixture f;
  const WallTime t0 = f.clock.wall_now();
  f.update({peer(1, t0), peer(2, t0)});
  f.table.find(key(1))->probes.sent = 3;
  f.table.reload_policies([](const PublicKey& k) {
    ResolvedPeerPolicy p;
    p.name = "renamed-" + std::to_string(k.bytes()[0]);
    p.ping_interval = 0;
    return p;
  });
  EXPECT_EQ(f.table.find(key(1))->policy.name, "renamed-1");
  EXPECT_EQ(f.table.find(key(2))->policy.ping_interval, 0u);
  EXPECT_EQ(f.table.find(key(1))->probes.sent, 3u);
  EXPECT_EQ(f.table.find(key(1))->health.state(), PeerHealth::kUp);
}

}  // namespace
}  // namespace wgtrack
