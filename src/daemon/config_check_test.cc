#include "daemon/config_check.h"

#include <gtest/gtest.h>

#include "config/wgquick_parser.h"
#include "probe/probe_target.h"

namespace wgtrack {
namespace {

ConfigCheck check(const std::string& text) {
  return validate_config(config::parse_config(text, "w.conf"));
}

TEST(ConfigCheck, AValidConfigurationIsUsableWithoutErrors) {
  const ConfigCheck c = check("[general]\ncycle_time = 5\n[http]\nlisten = 127.0.0.1:9586\n");
  EXPECT_TRUE(c.usable);
  EXPECT_EQ(c.errors, 0u) << config::format_diagnostics(c.diagnostics);
}

TEST(ConfigCheck, ABadPeerSectionIsSkippedTheRestRuns) {
  const ConfigCheck c = check("[general]\ncycle_time = 5\n[peer:office]\nping_interval = often\n");
  EXPECT_TRUE(c.usable);
  EXPECT_EQ(c.errors, 1u);
}

TEST(ConfigCheck, HttpHistoryAndOutputErrorsAreFatalEverywhere) {
  // Before, a reload validated only the outputs: a broken [http] was taken on SIGHUP and then
  // refused the next start.
  for (const char* text :
       {"[http]\nlisten = localhost:9586\n", "[history]\nretention_hours = 10s\n",
        "[output:f]\ntype = file\n", "[general]\ncycle_time = soon\n"}) {
    const ConfigCheck c = check(text);
    EXPECT_FALSE(c.usable) << text;
    EXPECT_GE(c.errors, 1u) << text;
    ASSERT_FALSE(c.diagnostics.empty()) << text;
    EXPECT_EQ(c.diagnostics.back().file, "w.conf") << text;
  }
}

// The endpoint manager's client file: a /24 and a /64 written with the peer's tunnel address, as
// wg-quick files usually are; a full-tunnel client with its resolver behind the tunnel; a peer
// with a /32; one with nothing to probe.
TEST(DescribeProbeTargets, SaysWhereProbesGoAndWhyNot) {
  const char* kA = "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=";
  const char* kB = "hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=";
  const char* kC = "arnx6499M4j0+dWG9m6Z/VQIDfLERvDlhmiwnAihbdA=";
  auto loaded = config::parse_config("[peer:off]\nprobe_target = none\n", "w.conf");
  auto wg0 =
      config::parse_wgquick(std::string("[Interface]\n[Peer]\n# Name = hub\nPublicKey = ") + kA +
                                "\nAllowedIPs = 172.25.1.1/24,fd08:5771:2371::1/64\n"
                                "[Peer]\nPublicKey = " +
                                kB +
                                "\nAllowedIPs = 10.0.0.2/32\n[Peer]\n# Name = off\n"
                                "PublicKey = " +
                                kC + "\nAllowedIPs = 10.0.1.0/24\n",
                            "wg0.conf", "wg0");
  auto wg1 =
      config::parse_wgquick(std::string("[Interface]\nDNS = 10.64.0.1\n[Peer]\nPublicKey = ") + kA +
                                "\nAllowedIPs = 0.0.0.0/0, ::/0\n",
                            "wg1.conf", "wg1");
  auto wg2 = config::parse_wgquick(
      std::string("[Interface]\n[Peer]\nPublicKey = ") + kB + "\nAllowedIPs = 10.7.0.0/16\n",
      "wg2.conf", "wg2");
  ASSERT_TRUE(wg0.diagnostics.empty() && wg1.diagnostics.empty() && wg2.diagnostics.empty());
  loaded.config.wgquick = {wg0.interface, wg1.interface, wg2.interface};
  EXPECT_EQ(describe_probe_targets(loaded.config),
            "wg0: probe targets of 3 peers: 1 host_allowed_ip, 1 wg_quick_address, 1 disabled\n"
            "  wg0 hub: 172.25.1.1 (host address written in the wg-quick AllowedIPs)\n"
            "  wg0 off: no probe target (probe_target = none)\n"
            "wg1: probe targets of 1 peer: 1 interface_dns\n"
            "  wg1 rtgrUqCx…: 10.64.0.1 (DNS address of the wg-quick interface, inside the peer's "
            "allowed IPs)\n"
            "wg2: probe targets of 1 peer: 1 none\n"
            "  wg2 hJpMO8Qq…: no probe target (" +
                std::string(to_string(ProbeTargetSource::kNoHostAllowedIp)) + ")\n");
  // Long lists are cut.
  const std::string cut = describe_probe_targets(loaded.config, 1);
  EXPECT_NE(cut.find("  ... and 1 more\n"), std::string::npos) << cut;
  EXPECT_EQ(cut.find("wg0 off"), std::string::npos) << cut;
}

}  // namespace
}  // namespace wgtrack
