#include "snapshot/recovery_snapshot.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
const PublicKey kB = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");
const MonoTime kMono(1000s);
const WallTime kWall(1763771123s);

endpoint::EndpointStatus status() {
  endpoint::EndpointStatus s;
  s.phase = endpoint::RecoveryPhase::kConfirming;
  endpoint::CandidateStatus v6{*Endpoint::parse("[2001:db8::9]:51820"), "vpn.example.net"};
  v6.probe = endpoint::ProbeState::kReachable;
  v6.current = true;
  endpoint::CandidateStatus v4{*Endpoint::parse("203.0.113.9:51820"), "vpn.example.net"};
  v4.probe = endpoint::ProbeState::kUnreachable;
  v4.failures = 2;
  v4.backoff_until = kMono + 30s;
  s.candidates = {v6, v4};
  endpoint::HostStatus h{"vpn.example.net", 2};
  endpoint::HostStatus bad{"gone.example.net", 0};
  bad.error = "NXDOMAIN";
  bad.permanent = true;
  s.hosts = {h, bad};
  endpoint::SwitchRecord sw;
  sw.from = *Endpoint::parse("203.0.113.9:51820");
  sw.to = *Endpoint::parse("[2001:db8::9]:51820");
  sw.reason = endpoint::ChangeReason::kFailover;
  sw.at = kMono - 2500ms;
  s.last_switch = sw;
  return s;
}

TEST(RecoverySnapshotTest, ConvertsEnumsToTextAndMonotonicToWallTime) {
  const RecoverySnapshot r = to_recovery_snapshot(status(), kMono, kWall);
  EXPECT_EQ(r.phase, "confirming");
  ASSERT_EQ(r.candidates.size(), 2u);
  EXPECT_EQ(r.candidates[0].endpoint.to_string(), "[2001:db8::9]:51820");
  EXPECT_EQ(r.candidates[0].probe, "reachable");
  EXPECT_TRUE(r.candidates[0].current);
  EXPECT_FALSE(r.candidates[0].backoff_until.has_value());
  EXPECT_EQ(r.candidates[1].probe, "unreachable");
  EXPECT_EQ(r.candidates[1].failures, 2);
  EXPECT_EQ(r.candidates[1].backoff_until, kWall + 30s);  // in the future, not clamped
  ASSERT_EQ(r.hosts.size(), 2u);
  EXPECT_EQ(r.hosts[0].addresses, 2u);
  EXPECT_FALSE(r.hosts[0].error.has_value());
  EXPECT_EQ(r.hosts[1].error, "NXDOMAIN");
  EXPECT_TRUE(r.hosts[1].permanent);
  ASSERT_TRUE(r.last_switch.has_value());
  EXPECT_EQ(r.last_switch->reason, "failover");
  EXPECT_EQ(r.last_switch->outcome, "pending");
  EXPECT_EQ(r.last_switch->at, kWall - 2500ms);
  EXPECT_EQ(r.last_switch->from->to_string(), "203.0.113.9:51820");
}

}  // namespace
}  // namespace wgtrack
