#include "sinks/history/counter_book.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1763771100;  // a minute boundary (divisible by 60)

PeerSnapshot peer(std::uint8_t id, std::uint64_t rx, std::uint64_t tx, std::string name = "") {
  PeerSnapshot p;
  PublicKey::Bytes b{};
  b[0] = id;
  p.public_key = PublicKey(b);
  p.key = p.public_key.to_base64();
  p.name = std::move(name);
  p.rx_bytes = rx;
  p.tx_bytes = tx;
  return p;
}

Snapshot snap(std::int64_t t, std::vector<PeerSnapshot> peers, std::string iface = "wg0") {
  Snapshot s;
  s.taken_at = WallTime(std::chrono::seconds(t));
  s.interfaces.push_back({.name = std::move(iface), .peers = std::move(peers)});
  return s;
}

TEST(CounterDelta, FirstSightIsABaseline) {
  EXPECT_EQ(counter_delta(std::nullopt, std::nullopt, 5000, 7000), (CounterDelta{0, 0, false}));
}

TEST(CounterDelta, GrowingCountersGiveTheDifference) {
  EXPECT_EQ(counter_delta(100, 200, 150, 260), (CounterDelta{50, 60, false}));
  EXPECT_EQ(counter_delta(100, 200, 100, 200), (CounterDelta{0, 0, false}));
}

TEST(CounterDelta, ABackwardsCounterIsAResetNeverANegativeDelta) {
  // rx went back: both count from the reset, tx too (it already passed its old value).
  EXPECT_EQ(counter_delta(1000, 200, 300, 250), (CounterDelta{300, 250, true}));
  EXPECT_EQ(counter_delta(1000, 2000, 0, 0), (CounterDelta{0, 0, true}));
  EXPECT_EQ(counter_delta(10, 2000, 20, 5), (CounterDelta{20, 5, true}));
}

TEST(BucketStart, FloorsToTheResolution) {
  EXPECT_EQ(bucket_start(WallTime(std::chrono::seconds(kT0 + 59)), 60s), kT0);
  EXPECT_EQ(bucket_start(WallTime(std::chrono::seconds(kT0 + 60)), 60s), kT0 + 60);
  EXPECT_EQ(bucket_start(WallTime(std::chrono::milliseconds(-1)), 60s), -60);
  EXPECT_EQ(bucket_start(WallTime(std::chrono::seconds(7199)), 1h), 3600);
}

TEST(CounterBook, SumsSamplesIntoMinuteBucketsAndEmitsClosedOnes) {
  CounterBook book;
  CounterOutput out;
  book.observe(snap(kT0 + 1, {peer(1, 1000, 2000, "office")}), out);  // baseline
  ASSERT_EQ(out.peers.size(), 1u);
  EXPECT_EQ(out.peers[0].name, "office");
  EXPECT_TRUE(out.rows.empty());
  book.observe(snap(kT0 + 30, {peer(1, 1100, 2010)}), out);
  book.observe(snap(kT0 + 59, {peer(1, 1150, 2020)}), out);
  EXPECT_TRUE(out.rows.empty());  // still the same minute
  book.observe(snap(kT0 + 61, {peer(1, 1400, 2100)}), out);
  ASSERT_EQ(out.rows.size(), 1u);
  const BucketRow& r = out.rows[0];
  EXPECT_EQ(r.start, kT0);
  EXPECT_EQ(r.rx, 150u);
  EXPECT_EQ(r.tx, 20u);
  EXPECT_EQ(r.rx_total, 150u);
  EXPECT_EQ(r.rx_last, 1150u);
  // The next minute holds the 250/80 of the sample at +61 s.
  book.close_all(out);
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_EQ(out.rows[1].start, kT0 + 60);
  EXPECT_EQ(out.rows[1].rx, 250u);
  EXPECT_EQ(out.rows[1].tx, 80u);
  EXPECT_EQ(out.rows[1].rx_total, 400u);
  EXPECT_EQ(out.rows[1].tx_total, 100u);
}

TEST(CounterBook, AResetKeepsTheTotalGrowing) {
  CounterBook book;
  CounterOutput out;
  book.observe(snap(kT0, {peer(1, 5000, 5000)}), out);
  book.observe(snap(kT0 + 10, {peer(1, 6000, 5500)}), out);  // +1000 / +500
  book.observe(snap(kT0 + 20, {peer(1, 300, 100)}), out);    // interface restarted
  book.close_all(out);
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].rx_total, 1300u);
  EXPECT_EQ(out.rows[0].tx_total, 600u);
  EXPECT_EQ(out.rows[0].rx_last, 300u);
  EXPECT_EQ(out.resets, 1u);
  EXPECT_EQ(book.resets(), 1u);
}

TEST(CounterBook, SeededTotalsContinueAfterADaemonRestart) {
  CounterBook book;
  const std::string key = peer(1, 0, 0).key;
  book.seed({{.interface = "wg0",
              .key = key,
              .rx_total = 10'000,
              .tx_total = 20'000,
              .rx_last = 7000,
              .tx_last = 9000}});
  CounterOutput out;
  // The counter kept running while the daemon was down: that traffic is counted.
  book.observe(snap(kT0, {peer(1, 7500, 9100)}), out);
  book.close_all(out);
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].rx, 500u);
  EXPECT_EQ(out.rows[0].rx_total, 10'500u);
  EXPECT_EQ(out.rows[0].tx_total, 20'100u);
  ASSERT_EQ(out.peers.size(), 1u);  // announced once per run, seeded or not
}

TEST(CounterBook, SeededPeerResetWhileTheDaemonWasDown) {
  CounterBook book;
  book.seed({{.interface = "wg0",
              .key = peer(1, 0, 0).key,
              .rx_total = 10'000,
              .tx_total = 20'000,
              .rx_last = 7000,
              .tx_last = 9000}});
  CounterOutput out;
  book.observe(snap(kT0, {peer(1, 40, 60)}), out);
  book.close_all(out);
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].rx_total, 10'040u);
  EXPECT_EQ(out.rows[0].tx_total, 20'060u);
}

TEST(CounterBook, AVanishedPeerHasItsBucketClosedAtOnce) {
  CounterBook book;
  CounterOutput out;
  book.observe(snap(kT0, {peer(1, 0, 0), peer(2, 0, 0)}), out);
  book.observe(snap(kT0 + 5, {peer(1, 10, 10), peer(2, 20, 20)}), out);
  EXPECT_TRUE(out.rows.empty());
  book.observe(snap(kT0 + 10, {peer(1, 30, 30)}), out);  // peer 2 removed
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].rx, 20u);
  // It comes back later with fresh counters: a reset, the total goes on.
  book.observe(snap(kT0 + 70, {peer(1, 40, 40), peer(2, 5, 5)}), out);
  book.close_all(out);
  std::uint64_t peer2_total = 0;
  for (const BucketRow& r : out.rows) {
    if (out.peers[1].slot == r.slot) peer2_total = r.rx_total;
  }
  EXPECT_EQ(peer2_total, 25u);
}

TEST(CounterBook, PeersMatchAcrossInterfacesAndOrderChanges) {
  CounterBook book;
  CounterOutput out;
  Snapshot a = snap(kT0, {peer(1, 100, 100)});
  a.interfaces.push_back({.name = "wg1", .peers = {peer(1, 500, 500)}});  // same key, other if
  book.observe(a, out);
  EXPECT_EQ(book.peers(), 2u);
  Snapshot b = snap(kT0 + 1, {peer(0, 0, 0), peer(1, 150, 110)});
  b.interfaces.push_back({.name = "wg1", .peers = {peer(1, 900, 700)}});
  book.observe(b, out);
  book.close_all(out);
  EXPECT_EQ(book.peers(), 3u);
  std::vector<std::pair<std::string, std::uint64_t>> totals;
  for (const BucketRow& r : out.rows) {
    for (const PeerAnnouncement& p : out.peers) {
      if (p.slot == r.slot) totals.emplace_back(p.interface, r.rx_total);
    }
  }
  EXPECT_THAT(totals,
              ::testing::UnorderedElementsAre(std::pair<std::string, std::uint64_t>{"wg0", 50},
                                              std::pair<std::string, std::uint64_t>{"wg1", 400},
                                              std::pair<std::string, std::uint64_t>{"wg0", 0}));
}

TEST(CounterBook, ARenamedPeerIsAnnouncedAgain) {
  CounterBook book;
  CounterOutput out;
  book.observe(snap(kT0, {peer(1, 0, 0, "a")}), out);
  book.observe(snap(kT0 + 1, {peer(1, 0, 0, "a")}), out);
  book.observe(snap(kT0 + 2, {peer(1, 0, 0, "b")}), out);
  ASSERT_EQ(out.peers.size(), 2u);
  EXPECT_EQ(out.peers[1].name, "b");
}

}  // namespace
}  // namespace wgtrack
