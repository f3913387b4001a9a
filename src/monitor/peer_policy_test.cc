#include "monitor/peer_policy.h"

#include <gtest/gtest.h>

#include "config/wgquick_parser.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
const PublicKey kB = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");

TEST(PeerPolicy, ThresholdsNameAndProbeTargetAreResolvedFromTheLayers) {
  auto r = config::parse_config(
      "[general]\ncycle_time = 2\nping_interval = 0\nhandshake_stale = 150\n"
      "[interface:wg0]\nping_interval = 3\nping_failafternum = 4\n[peer:" +
          kA.to_base64() + "]\nname = office\nprobe_target = 10.9.0.1\nkeepalive_expected = 5s\n",
      "w.conf");
  ASSERT_TRUE(r.ok()) << config::format_diagnostics(r.diagnostics);
  const ResolvedPeerPolicy a = resolve_peer_policy(r.config, "wg0", kA);
  EXPECT_EQ(a.name, "office");
  EXPECT_EQ(a.ping_interval, 3u);
  EXPECT_EQ(a.health.probe_fail_after, 4);
  EXPECT_EQ(a.health.handshake_stale, 150s);
  EXPECT_EQ(a.health.keepalive_expected, std::chrono::nanoseconds(5s));
  EXPECT_EQ(a.probe_target.mode, ProbeTargetSetting::Mode::kAddress);
  EXPECT_EQ(a.probe_target.address.address_string(), "10.9.0.1");
  // Elsewhere: [general] only; ping_interval 0 turns the probe verdict off.
  const ResolvedPeerPolicy b = resolve_peer_policy(r.config, "wg1", kB);
  EXPECT_EQ(b.name, "");
  EXPECT_EQ(b.ping_interval, 0u);
  EXPECT_EQ(b.health.probe_fail_after, 0);
  EXPECT_EQ(b.probe_target.mode, ProbeTargetSetting::Mode::kAuto);
  EXPECT_FALSE(b.recovery);
}

TEST(PeerPolicy, RecoveryFromWgQuickHostsAndPeerSections) {
  auto r = config::parse_config(
      "[general]\ncycle_time = 2\nprefer = ipv4\nconfirm = 4s\n[peer:" + kA.to_base64() +
          "]\nendpoints = 198.51.100.7:51820\n[peer:" + kB.to_base64() +
          "]\nendpoint_recovery = no\n"
          "endpoints = 198.51.100.8:51820\n",
      "w.conf");
  ASSERT_TRUE(r.ok());
  config::WgQuickInterface w;
  w.name = "wg0";
  config::WgQuickPeer p;
  p.public_key = kA;
  p.endpoint = *HostPort::parse("vpn.example:51820");
  w.peers = {p};
  r.config.wgquick = {w};
  EXPECT_TRUE(recovery_configured(r.config));
  const auto a = resolve_peer_policy(r.config, "wg0", kA).recovery;
  ASSERT_TRUE(a);
  ASSERT_EQ(a->hosts.size(), 2u);
  EXPECT_EQ(a->hosts[0].to_string(), "vpn.example:51820");  // the wg-quick Endpoint first
  EXPECT_EQ(a->hosts[1].to_string(), "198.51.100.7:51820");
  EXPECT_EQ(a->policy.prefer, endpoint::Prefer::kIPv4);
  EXPECT_EQ(a->policy.confirm_window, 4s);
  EXPECT_EQ(a->policy.resolve.cycle_time, 2s);
  EXPECT_FALSE(resolve_peer_policy(r.config, "wg0", kB).recovery);  // endpoint_recovery = no
  EXPECT_FALSE(resolve_peer_policy(r.config, "wg1", kB).recovery);  // nothing configured there
  EXPECT_FALSE(recovery_configured(config::parse_config("[general]\n", "x").config));
}

TEST(PeerPolicy, ProbeHintsComeFromTheWgQuickFileForAutoOnly) {
  auto r = config::parse_config("[peer:" + kB.to_base64() + "]\nprobe_target = none\n", "w.conf");
  ASSERT_TRUE(r.ok());
  auto w = config::parse_wgquick(
      "[Interface]\nDNS = 172.25.1.53, corp.example\n[Peer]\nPublicKey = " + kA.to_base64() +
          "\nAllowedIPs = 172.25.1.1/24, 10.9.0.2/32, 10.8.0.0/16\n"
          "[Peer]\nPublicKey = " +
          kB.to_base64() + "\nAllowedIPs = 172.26.0.1/24\n",
      "wg0.conf", "wg0");
  ASSERT_TRUE(w.diagnostics.empty());
  r.config.wgquick = {w.interface};
  const ResolvedPeerPolicy a = resolve_peer_policy(r.config, "wg0", kA);
  // The /32 is in the device's own list; only entries with host bits are hints (the /16 too:
  // select_probe_target skips a written network address).
  ASSERT_EQ(a.probe_hints.written_allowed_ips.size(), 2u);
  EXPECT_EQ(a.probe_hints.written_allowed_ips[0].to_string(), "172.25.1.1/24");
  ASSERT_EQ(a.probe_hints.interface_dns.size(), 1u);
  EXPECT_EQ(a.probe_hints.interface_dns[0].address_string(), "172.25.1.53");
  // probe_target = none: nothing is kept.
  const ResolvedPeerPolicy b = resolve_peer_policy(r.config, "wg0", kB);
  EXPECT_TRUE(b.probe_hints.written_allowed_ips.empty());
  EXPECT_TRUE(b.probe_hints.interface_dns.empty());
  // Another interface: no file, no hints.
  EXPECT_TRUE(resolve_peer_policy(r.config, "wg1", kA).probe_hints.written_allowed_ips.empty());
}

}  // namespace
}  // namespace wgtrack
