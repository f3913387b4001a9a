#include "tracker/interface_tracker.h"

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
  InterfaceTracker tracker{[](const PublicKey&) { return HealthPolicy{}; }};
  std::vector<TrackerEvent> events;

  void update(std::vector<Peer> peers) {
    Device d;
    d.name = "wg0";
    d.peers = std::move(peers);
    events.clear();
    tracker.update(std::move(d), clock.mono_now(), clock.wall_now(), events);
  }
};

TEST(InterfaceTracker, FirstReadLearnsWithoutEvents) {
  Fixture f;
  const WallTime now = f.clock.wall_now();
  f.update({peer(1, now - 10s), peer(2, now - 1h)});
  EXPECT_TRUE(f.events.empty());
  ASSERT_EQ(f.tracker.health().size(), 2u);
  EXPECT_EQ(f.tracker.health()[0].state(), PeerHealth::kUp);
  EXPECT_EQ(f.tracker.health()[1].state(), PeerHealth::kIdle);
  ASSERT_TRUE(f.tracker.next_deadline());
  EXPECT_EQ(*f.tracker.next_deadline() - f.clock.mono_now(), 125s);
}

TEST(InterfaceTracker, AddRemoveRoamHandshakeAndStatus) {
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
  ASSERT_EQ(f.tracker.health().size(), 3u);
  EXPECT_EQ(f.tracker.health()[2].state(), PeerHealth::kUp);
  EXPECT_EQ(f.tracker.snapshot().peers[2].public_key, key(4));
}

TEST(InterfaceTracker, ProbesReachTheirPeer) {
  Fixture f;
  const WallTime t0 = f.clock.wall_now();
  f.update({peer(1, t0), peer(2, t0)});
  ProbeBook probes;
  probes[key(2)] = {{f.clock.mono_now(), false}, {f.clock.mono_now() + 1s, false}};
  f.clock.advance(2s);
  Device d;
  d.peers = {peer(1, t0), peer(2, t0)};
  f.tracker.update(std::move(d), f.clock.mono_now(), f.clock.wall_now(), f.events, &probes);
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].peer, key(2));
  EXPECT_EQ(f.events[0].transition->reason.text, "2 probes failed");
}

}  // namespace
}  // namespace wgtrack
