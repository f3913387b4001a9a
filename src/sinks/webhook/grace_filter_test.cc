#include "sinks/webhook/grace_filter.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
const PublicKey kB = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");

Event change(const PublicKey& peer, std::string from, std::string to,
             EventType type = EventType::kStatusChange) {
  Event e;
  e.type = type;
  e.interface = "wg0";
  e.peer = peer;
  e.old_status = std::move(from);
  e.status = std::move(to);
  e.reason = "because";
  return e;
}

class GraceFilterTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  GraceFilter filter_{30s};
};

TEST_F(GraceFilterTest, QuickFlapSendsNothingAtAll) {
  EXPECT_TRUE(filter_.offer(change(kA, "up", "down"), clock_.mono_now()).empty());
  EXPECT_EQ(filter_.held(), 1u);
  EXPECT_EQ(filter_.next_deadline(), clock_.mono_now() + 30s);
  clock_.advance(10s);
  EXPECT_TRUE(filter_.offer(change(kA, "down", "up"), clock_.mono_now()).empty());
  EXPECT_EQ(filter_.held(), 0u);
  EXPECT_EQ(filter_.suppressed(), 1u);
  clock_.advance(60s);
  EXPECT_TRUE(filter_.due(clock_.mono_now()).empty());
  EXPECT_FALSE(filter_.next_deadline().has_value());
}

TEST_F(GraceFilterTest, StillDownAfterTheGraceIsSentThenTheRecoveryToo) {
  Event down = change(kA, "up", "down");
  EXPECT_TRUE(filter_.offer(down, clock_.mono_now()).empty());
  clock_.advance(29999ms);
  EXPECT_TRUE(filter_.due(clock_.mono_now()).empty());
  clock_.advance(1ms);
  auto released = filter_.due(clock_.mono_now());
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].status, "down");
  EXPECT_EQ(released[0].old_status, "up");
  EXPECT_EQ(filter_.held(), 0u);
  auto up = filter_.offer(change(kA, "down", "up"), clock_.mono_now());
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].old_status, "down");
}

TEST_F(GraceFilterTest, RecoveryToAnotherStateIsSentFromTheLastSeenState) {
  EXPECT_TRUE(filter_.offer(change(kA, "up", "down"), clock_.mono_now()).empty());
  auto out = filter_.offer(change(kA, "down", "idle"), clock_.mono_now() + 5s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].old_status, "up");
  EXPECT_EQ(out[0].status, "idle");
  EXPECT_EQ(out[0].reason, "because");
}

TEST_F(GraceFilterTest, RemovalWithinTheGraceReplacesTheDisconnect) {
  EXPECT_TRUE(filter_.offer(change(kA, "stale", "down"), clock_.mono_now()).empty());
  auto out =
      filter_.offer(change(kA, "down", "removed", EventType::kPeerRemoved), clock_.mono_now() + 1s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, EventType::kPeerRemoved);
  EXPECT_EQ(out[0].old_status, "stale");
  EXPECT_EQ(filter_.held(), 0u);
}

TEST_F(GraceFilterTest, OtherEventsAndOtherPeersPassAtOnce) {
  EXPECT_TRUE(filter_.offer(change(kA, "up", "down"), clock_.mono_now()).empty());
  for (EventType t : {EventType::kEndpointChanged, EventType::kHandshake, EventType::kPeerAdded,
                      EventType::kResolveFailed, EventType::kCandidateUnreachable}) {
    EXPECT_EQ(filter_.offer(change(kA, "", "down", t), clock_.mono_now()).size(), 1u);
  }
  EXPECT_EQ(filter_.offer(change(kB, "up", "stale"), clock_.mono_now()).size(), 1u);
  EXPECT_EQ(filter_.offer(change(kB, "never", "down", EventType::kInitialStatus), clock_.mono_now())
                .size(),
            1u);
  Event other_if = change(kA, "down", "up");
  other_if.interface = "wg1";
  EXPECT_EQ(filter_.offer(other_if, clock_.mono_now()).size(), 1u);
  EXPECT_EQ(filter_.held(), 1u);  // wg0/kA is still held
}

TEST_F(GraceFilterTest, ReleasesInTheOrderTheyWentDownAndKeepsTheFirstDeadline) {
  EXPECT_TRUE(filter_.offer(change(kB, "up", "down"), clock_.mono_now()).empty());
  clock_.advance(1s);
  EXPECT_TRUE(filter_.offer(change(kA, "up", "down"), clock_.mono_now()).empty());
  clock_.advance(10s);
  EXPECT_TRUE(filter_.offer(change(kB, "down", "down"), clock_.mono_now()).empty());
  EXPECT_EQ(filter_.held(), 2u);
  clock_.advance(20s);
  auto out = filter_.due(clock_.mono_now());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].peer, kB);
  EXPECT_EQ(out[1].peer, kA);
}

TEST(GraceFilter, ZeroGraceIsOff) {
  GraceFilter off(0s);
  testing::FakeClock clock;
  EXPECT_EQ(off.offer(change(kA, "up", "down"), clock.mono_now()).size(), 1u);
  EXPECT_EQ(off.held(), 0u);
}

}  // namespace
}  // namespace wgtrack
