#include "probe/probe_target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace wgtrack {
namespace {

std::vector<IpPrefix> prefixes(std::initializer_list<const char*> texts) {
  std::vector<IpPrefix> out;
  for (const char* t : texts) {
    auto p = IpPrefix::parse(t);
    EXPECT_TRUE(p.ok()) << t;
    if (p) out.push_back(*p);
  }
  return out;
}

Endpoint addr(const char* text) { return Endpoint::parse_address(text, 0).value(); }

std::string target_of(std::initializer_list<const char*> allowed,
                      ProbeTargetSetting setting = ProbeTargetSetting::automatic()) {
  const auto list = prefixes(allowed);
  const ProbeTargetChoice c = select_probe_target(list, setting);
  return c.target ? c.target->address_string() : std::string("none: ") + to_string(c.source);
}

const std::string kNoTarget =
    std::string("none: ") + to_string(ProbeTargetSource::kNoHostAllowedIp);

std::vector<Endpoint> addrs(std::initializer_list<const char*> texts) {
  std::vector<Endpoint> out;
  for (const char* t : texts) out.push_back(addr(t));
  return out;
}

std::string hinted(std::initializer_list<const char*> allowed,
                   std::initializer_list<const char*> written,
                   std::initializer_list<const char*> dns = {}) {
  ProbeTargetHints hints{prefixes(written), addrs(dns)};
  const auto list = prefixes(allowed);
  const ProbeTargetChoice c = select_probe_target(list, ProbeTargetSetting::automatic(), hints);
  return c.target ? c.target->address_string() + " " + to_code(c.source)
                  : std::string("none: ") + to_code(c.source);
}

TEST(SelectProbeTarget, NeverTheNetworkAddressOfAWiderPrefix) {
  // towalink/wgtrack pinged 0.0.0.0 and 10.0.0.0 for these.
  EXPECT_EQ(target_of({"0.0.0.0/0"}), kNoTarget);
  EXPECT_EQ(target_of({"10.0.0.0/24"}), kNoTarget);
  EXPECT_EQ(target_of({"::/0", "0.0.0.0/0"}), kNoTarget);
  EXPECT_EQ(target_of({"2001:db8::/64"}), kNoTarget);
  EXPECT_EQ(target_of({"10.0.0.2/31"}), kNoTarget);
  EXPECT_EQ(target_of({}), kNoTarget);
}

TEST(SelectProbeTarget, HostAddressOfTheFirstSlash32) {
  EXPECT_EQ(target_of({"10.0.0.2/32"}), "10.0.0.2");
  EXPECT_EQ(target_of({"0.0.0.0/0", "10.0.0.2/32", "10.0.0.3/32"}), "10.0.0.2");
  EXPECT_EQ(target_of({"10.9.0.0/16", "10.0.0.7/32"}), "10.0.0.7");
}

TEST(SelectProbeTarget, Ipv4BeforeIpv6WhateverTheOrder) {
  EXPECT_EQ(target_of({"fd00::2/128", "10.0.0.2/32"}), "10.0.0.2");
  const auto c = select_probe_target(prefixes({"fd00::2/128", "10.0.0.2/32"}), {});
  EXPECT_EQ(c.source, ProbeTargetSource::kHostAllowedIp);
  EXPECT_EQ(c.target->port(), 0);
}

TEST(SelectProbeTarget, Ipv6OnlyPeers) {
  EXPECT_EQ(target_of({"fd00::/64", "fd00::2/128"}), "fd00::2");
  EXPECT_EQ(target_of({"::/0", "2001:db8:100::2/128", "2001:db8:100::3/128"}), "2001:db8:100::2");
  EXPECT_EQ(target_of({"10.0.0.0/24", "fd00::9/128"}), "fd00::9");
}

TEST(SelectProbeTarget, SkipsHostsThatAreNoPeer) {
  EXPECT_EQ(target_of({"0.0.0.0/32", "224.0.0.1/32", "255.255.255.255/32"}), kNoTarget);
  EXPECT_EQ(target_of({"::/128", "ff02::1/128"}), kNoTarget);
  EXPECT_EQ(target_of({"0.0.0.0/32", "10.0.0.4/32"}), "10.0.0.4");
}

TEST(SelectProbeTarget, ConfiguredTargetWins) {
  auto c = select_probe_target(prefixes({"10.0.0.0/24", "10.0.0.2/32"}),
                               ProbeTargetSetting::at(addr("10.0.0.9")));
  ASSERT_TRUE(c.target);
  EXPECT_EQ(c.target->address_string(), "10.0.0.9");
  EXPECT_EQ(c.source, ProbeTargetSource::kConfigured);
  // Even where auto finds nothing: a site behind 0.0.0.0/0 whose router answers at 10.1.0.1.
  c = select_probe_target(prefixes({"0.0.0.0/0"}), ProbeTargetSetting::at(addr("10.1.0.1")));
  ASSERT_TRUE(c.target);
  EXPECT_EQ(c.source, ProbeTargetSource::kConfigured);
  c = select_probe_target(prefixes({"fd00::/64"}), ProbeTargetSetting::at(addr("fd00::1")));
  EXPECT_EQ(c.source, ProbeTargetSource::kConfigured);
  // The port of a configured address is dropped.
  c = select_probe_target(prefixes({"10.0.0.0/24"}),
                          ProbeTargetSetting::at(Endpoint::parse("10.0.0.5:51820").value()));
  EXPECT_EQ(c.target->port(), 0);
}

TEST(SelectProbeTarget, ConfiguredOutsideTheAllowedIpsIsFlagged) {
  const auto c = select_probe_target(prefixes({"10.0.0.2/32", "fd00::/64"}),
                                     ProbeTargetSetting::at(addr("10.0.0.3")));
  ASSERT_TRUE(c.target);  // the operator wins; the daemon warns
  EXPECT_EQ(c.source, ProbeTargetSource::kConfiguredOutsideAllowedIps);
}

TEST(SelectProbeTarget, NoneDisablesProbes) {
  const auto c = select_probe_target(prefixes({"10.0.0.2/32"}), ProbeTargetSetting::none());
  EXPECT_FALSE(c.target);
  EXPECT_EQ(c.source, ProbeTargetSource::kDisabled);
  EXPECT_STREQ(to_string(c.source), "probe_target = none");
}

TEST(PrefixContains, BitBoundaries) {
  const auto p = prefixes({"10.0.0.0/23", "fd00::/7", "0.0.0.0/0"});
  EXPECT_TRUE(prefix_contains(p[0], addr("10.0.1.255")));
  EXPECT_FALSE(prefix_contains(p[0], addr("10.0.2.0")));
  EXPECT_TRUE(prefix_contains(p[1], addr("fdff::1")));
  EXPECT_TRUE(prefix_contains(p[1], addr("fc00::1")));
  EXPECT_FALSE(prefix_contains(p[1], addr("fe00::1")));
  EXPECT_TRUE(prefix_contains(p[2], addr("192.0.2.1")));
  EXPECT_FALSE(prefix_contains(p[2], addr("::1")));  // another family
}

// wg-quick(8) files name the peer's tunnel address with host bits (172.25.1.1/24); the device
// (and wg showconf) keeps only 172.25.1.0/24.
TEST(SelectProbeTarget, HostAddressWrittenInTheWgQuickFile) {
  EXPECT_EQ(
      hinted({"172.25.1.0/24", "fd08:5771:2371::/64"}, {"172.25.1.1/24", "fd08:5771:2371::1/64"}),
      "172.25.1.1 wg_quick_address");
  // IPv4 first whatever the order, as for allowed IPs.
  EXPECT_EQ(
      hinted({"fd08:5771:2371::/64", "172.25.1.0/24"}, {"fd08:5771:2371::1/64", "172.25.1.1/24"}),
      "172.25.1.1 wg_quick_address");
  EXPECT_EQ(hinted({"fd08:5771:2371::/64"}, {"fd08:5771:2371::1/64"}),
            "fd08:5771:2371::1 wg_quick_address");
  // A /32 the device reports comes first.
  EXPECT_EQ(hinted({"172.25.1.0/24", "10.9.0.2/32"}, {"172.25.1.1/24", "10.9.0.2/32"}),
            "10.9.0.2 host_allowed_ip");
}

TEST(SelectProbeTarget, WrittenAddressesThatNameNoHostAreSkipped) {
  // The network address, the subnet broadcast, a plain host route with no host bits.
  EXPECT_EQ(hinted({"172.25.1.0/24"}, {"172.25.1.0/24"}), "none: none");
  EXPECT_EQ(hinted({"172.25.1.0/24"}, {"172.25.1.255/24"}), "none: none");
  EXPECT_EQ(hinted({"0.0.0.0/0"}, {"0.0.0.0/0", "::/0"}), "none: none");
  EXPECT_EQ(hinted({"224.0.0.0/4"}, {"224.0.0.1/4"}), "none: none");
  // The file says something the device no longer has (edited since wg-quick up): not used.
  EXPECT_EQ(hinted({"10.7.0.0/24"}, {"172.25.1.1/24"}), "none: none");
  // IPv6 has no broadcast: the all-ones host is a host.
  EXPECT_EQ(hinted({"2001:db8::/126"}, {"2001:db8::3/126"}), "2001:db8::3 wg_quick_address");
}

TEST(SelectProbeTarget, InterfaceDnsInsideTheAllowedIps) {
  // A full-tunnel client: its resolver is behind the tunnel.
  EXPECT_EQ(hinted({"0.0.0.0/0", "::/0"}, {"0.0.0.0/0", "::/0"}, {"10.64.0.1"}),
            "10.64.0.1 interface_dns");
  EXPECT_EQ(hinted({"0.0.0.0/0", "::/0"}, {}, {"2001:db8:53::1", "10.64.0.1"}),
            "10.64.0.1 interface_dns");
  // Outside this peer's allowed IPs: the probe would not go through it.
  EXPECT_EQ(hinted({"10.7.0.0/24"}, {}, {"192.0.2.53"}), "none: none");
  EXPECT_EQ(hinted({"10.7.0.0/24"}, {}, {"192.0.2.53", "10.7.0.53"}), "10.7.0.53 interface_dns");
  // A written host address comes before DNS.
  EXPECT_EQ(hinted({"10.7.0.0/24"}, {"10.7.0.1/24"}, {"10.7.0.53"}), "10.7.0.1 wg_quick_address");
}

TEST(SelectProbeTarget, ConfiguredAndDisabledWinOverHints) {
  ProbeTargetHints hints{prefixes({"172.25.1.1/24"}), addrs({"172.25.1.53"})};
  const auto list = prefixes({"172.25.1.0/24"});
  EXPECT_EQ(select_probe_target(list, ProbeTargetSetting::none(), hints).source,
            ProbeTargetSource::kDisabled);
  const auto c = select_probe_target(list, ProbeTargetSetting::at(addr("172.25.1.9")), hints);
  EXPECT_EQ(c.target->address_string(), "172.25.1.9");
  EXPECT_EQ(c.source, ProbeTargetSource::kConfigured);
}

TEST(ProbeTargetSource, EveryCodeIsDistinct) {
  std::vector<std::string> codes;
  for (auto s : {ProbeTargetSource::kConfigured, ProbeTargetSource::kConfiguredOutsideAllowedIps,
                 ProbeTargetSource::kHostAllowedIp, ProbeTargetSource::kWrittenHostAddress,
                 ProbeTargetSource::kInterfaceDns, ProbeTargetSource::kDisabled,
                 ProbeTargetSource::kNoHostAllowedIp}) {
    codes.push_back(to_code(s));
    EXPECT_STRNE(to_string(s), "?");
  }
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(std::unique(codes.begin(), codes.end()), codes.end());
}

}  // namespace
}  // namespace wgtrack
