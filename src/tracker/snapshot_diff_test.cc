#include "tracker/snapshot_diff.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using Kind = PeerChange::Kind;

PublicKey key(std::uint8_t n) {
  PublicKey::Bytes b{};
  b[0] = n;
  b[31] = 0x40;
  return PublicKey(b);
}

Peer peer(std::uint8_t n, const char* endpoint = "192.0.2.1:51820") {
  Peer p;
  p.public_key = key(n);
  p.endpoint = *Endpoint::parse(endpoint);
  p.last_handshake = WallTime(1700000000s);
  return p;
}

Device device(std::vector<Peer> peers) {
  Device d;
  d.name = "wg0";
  d.peers = std::move(peers);
  return d;
}

TEST(SnapshotDiff, SameSnapshotHasNoChangesAndIsAligned) {
  const Device d = device({peer(1), peer(2), peer(3)});
  SnapshotDiffer differ;
  std::vector<PeerChange> out{{Kind::kAdded}};
  differ.diff(d, d, out);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(differ.aligned());
  EXPECT_EQ(std::vector<std::uint32_t>(differ.matches().begin(), differ.matches().end()),
            (std::vector<std::uint32_t>{0, 1, 2}));
}

TEST(SnapshotDiff, AddedAndRemovedByKey) {
  const Device before = device({peer(1), peer(2), peer(3)});
  const Device after = device({peer(1), peer(3), peer(4)});
  SnapshotDiffer differ;
  std::vector<PeerChange> out;
  differ.diff(before, after, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, Kind::kAdded);
  EXPECT_EQ(after.peers[out[0].after].public_key, key(4));
  EXPECT_EQ(out[1].kind, Kind::kRemoved);
  EXPECT_EQ(before.peers[out[1].before].public_key, key(2));
  EXPECT_FALSE(differ.aligned());
  EXPECT_EQ(differ.matches()[1], 2u);
  EXPECT_EQ(differ.matches()[2], PeerChange::kNone);
}

TEST(SnapshotDiff, RoamingIsAnEndpointChangeNotADisconnect) {
  const Device before = device({peer(1, "192.0.2.1:51820"), peer(2)});
  const Device after = device({peer(1, "198.51.100.7:40000"), peer(2)});
  SnapshotDiffer differ;
  std::vector<PeerChange> out;
  differ.diff(before, after, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, Kind::kEndpointChanged);
  EXPECT_EQ(out[0].before, 0u);
  EXPECT_EQ(out[0].after, 0u);
  EXPECT_TRUE(differ.aligned());
}

TEST(SnapshotDiff, TwoPeersSwappingEndpointsAreTwoRoamsNotReplacements) {
  // wgmon keyed peers by endpoint: this looked like two peers replaced by two others.
  const Device before = device({peer(1, "192.0.2.1:1000"), peer(2, "192.0.2.2:1000")});
  const Device after = device({peer(1, "192.0.2.2:1000"), peer(2, "192.0.2.1:1000")});
  SnapshotDiffer differ;
  std::vector<PeerChange> out;
  differ.diff(before, after, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, Kind::kEndpointChanged);
  EXPECT_EQ(out[1].kind, Kind::kEndpointChanged);
}

TEST(SnapshotDiff, HandshakeHappenedOnlyForANewPresentValue) {
  Device before = device({peer(1), peer(2), peer(3)});
  Device after = before;
  after.peers[0].last_handshake = WallTime(1700000120s);
  after.peers[1].last_handshake.reset();  // cleared: not a handshake (health says session reset)
  before.peers[2].last_handshake.reset();
  SnapshotDiffer differ;
  std::vector<PeerChange> out;
  differ.diff(before, after, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, Kind::kHandshake);
  EXPECT_EQ(out[0].after, 0u);
  EXPECT_EQ(out[1].kind, Kind::kHandshake);  // first handshake ever
  EXPECT_EQ(out[1].after, 2u);
}

TEST(SnapshotDiff, ReorderedPeersMatchByKey) {
  std::vector<Peer> many;
  for (int i = 0; i < 200; ++i) many.push_back(peer(static_cast<std::uint8_t>(i)));
  const Device before = device(many);
  std::reverse(many.begin(), many.end());
  const Device after = device(many);
  SnapshotDiffer differ;
  std::vector<PeerChange> out;
  differ.diff(before, after, out);
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(differ.aligned());
  for (std::uint32_t i = 0; i < 200; ++i) EXPECT_EQ(differ.matches()[i], 199 - i);
}

TEST(SnapshotDiff, FromAndToEmpty) {
  const Device empty = device({});
  const Device two = device({peer(1), peer(2)});
  SnapshotDiffer differ;
  std::vector<PeerChange> out;
  differ.diff(empty, two, out);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](auto& c) { return c.kind == Kind::kAdded; }));
  differ.diff(two, empty, out);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_TRUE(
      std::all_of(out.begin(), out.end(), [](auto& c) { return c.kind == Kind::kRemoved; }));
}

}  // namespace
}  // namespace wgtrack
