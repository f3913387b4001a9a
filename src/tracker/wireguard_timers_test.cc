// One test per protocol fact the tracker relies on (values from drivers/net/wireguard/messages.h
// and the WireGuard paper, section 6).
#include "tracker/wireguard_timers.h"

#include <gtest/gtest.h>

#include "tracker/health_policy.h"

namespace wgtrack::wireguard_timers {
namespace {

using namespace std::chrono_literals;

TEST(WireGuardTimers, RekeyAfterTimeIs120s) { EXPECT_EQ(kRekeyAfterTime, 120s); }
TEST(WireGuardTimers, RejectAfterTimeIs180s) { EXPECT_EQ(kRejectAfterTime, 180s); }
TEST(WireGuardTimers, RekeyTimeoutIs5s) { EXPECT_EQ(kRekeyTimeout, 5s); }
TEST(WireGuardTimers, KeepaliveTimeoutIs10s) { EXPECT_EQ(kKeepaliveTimeout, 10s); }
TEST(WireGuardTimers, RekeyAttemptTimeIs90sOf18Retries) {
  EXPECT_EQ(kRekeyAttemptTime, 90s);
  EXPECT_EQ(kRekeyAttemptTime / kRekeyTimeout, 18);  // MAX_TIMER_HANDSHAKES
}
TEST(WireGuardTimers, KeepaliveIsAnEmptyTransportMessage) {
  EXPECT_EQ(kKeepaliveMessageBytes, 4u + 4u + 8u + 16u);
}
TEST(WireGuardTimers, StaleIs120Plus5Plus10) {
  EXPECT_EQ(kHandshakeStaleAfter, 135s);
  EXPECT_LT(kHandshakeStaleAfter, kRejectAfterTime);
}
TEST(WireGuardTimers, DownIsRejectAfterTime) { EXPECT_EQ(kHandshakeDownAfter, 180s); }
TEST(WireGuardTimers, TxWithoutRxIsRekeyTimeoutPlusKeepaliveTimeout) {
  EXPECT_EQ(kTxWithoutRxDown, 15s);
  EXPECT_GT(kTxWithoutRxDown, kKeepaliveTimeout) << "a passive keepalive must fit";
}

TEST(HealthPolicy, DefaultsAreTheProtocolsAndTheOriginalWgtracks) {
  const HealthPolicy p;
  EXPECT_EQ(p.handshake_stale, 135s);
  EXPECT_EQ(p.handshake_down, 180s);
  EXPECT_EQ(p.probe_fail_after, 2);  // towalink/wgtrack's ping_failafternum
  EXPECT_FALSE(p.keepalive_expected);
  EXPECT_EQ(p.tx_without_rx_down, std::optional<std::chrono::nanoseconds>(15s));
  EXPECT_EQ(p.recover_after, 1);
}

TEST(HealthPolicy, RxSilenceIsOneAndAHalfIntervals) {
  EXPECT_EQ(rx_silence_limit(1s), 1500ms);
  EXPECT_EQ(rx_silence_limit(25s), 37500ms);
}

}  // namespace
}  // namespace wgtrack::wireguard_timers
