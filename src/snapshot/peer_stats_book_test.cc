#include "snapshot/peer_stats_book.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");

Event event(EventType type, std::string reason = "") {
  Event e;
  e.type = type;
  e.interface = "wg0";
  e.peer = kA;
  e.reason = std::move(reason);
  return e;
}

TEST(PeerStatsBookTest, CountsProbesAndChangesUntilRemoved) {
  PeerStatsBook book;
  CycleOutput out;
  out.events.push_back(event(EventType::kInitialStatus));
  out.probes.push_back({"wg0", kA, Endpoint(), 500ms});
  book.record_cycle(out);
  book.record_probe("wg0", kA, {MonoTime(1s), false, std::nullopt});
  book.record_probe("wg0", kA, {MonoTime(2s), true, 3ms});
  CycleOutput two;
  two.events.push_back(event(EventType::kEndpointChanged, "roamed"));
  two.events.push_back(event(EventType::kEndpointChanged, "failover"));
  two.events.push_back(event(EventType::kEndpointChanged, "roamed"));
  book.record_cycle(two);
  const auto* e = book.find("wg0", kA);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->probes_sent, 1u);
  EXPECT_EQ(e->probes_lost, 1u);
  EXPECT_EQ(e->last_rtt, std::chrono::nanoseconds(3ms));
  EXPECT_EQ(e->endpoint_changes.at("roamed"), 2u);
  EXPECT_EQ(e->endpoint_changes.at("failover"), 1u);
  CycleOutput gone;
  gone.events.push_back(event(EventType::kPeerRemoved));
  book.record_cycle(gone);
  EXPECT_EQ(book.find("wg0", kA), nullptr);
  EXPECT_EQ(book.size(), 0u);
}

TEST(PeerStatsBookTest, StateReasonIsTheLastStateEventsReason) {
  PeerStatsBook book;
  CycleOutput one;
  one.events.push_back(event(EventType::kInitialStatus, "daemon started"));
  book.record_cycle(one);
  EXPECT_EQ(book.find("wg0", kA)->state_reason, "daemon started");
  CycleOutput two;
  two.events.push_back(event(EventType::kStatusChange, "2 probes failed"));
  two.events.push_back(event(EventType::kEndpointChanged, "roamed"));  // not a state change
  two.events.push_back(event(EventType::kHandshake, "handshake completed"));
  book.record_cycle(two);
  EXPECT_EQ(book.find("wg0", kA)->state_reason, "2 probes failed");
}

TEST(PeerStatsBookTest, ProbeForUnknownPeerIsIgnored) {
  PeerStatsBook book;
  book.record_probe("wg0", kA, {MonoTime(1s), false, std::nullopt});
  EXPECT_EQ(book.find("wg0", kA), nullptr);
}

}  // namespace
}  // namespace wgtrack
