#include "sinks/exec/exec_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "core/utf8.h"
#include "support/utf8_samples.h"

namespace wgtrack {
namespace {

std::map<std::string, std::string> as_map(const std::vector<std::string>& env) {
  std::map<std::string, std::string> m;
  for (const auto& kv : env) {
    const auto eq = kv.find('=');
    EXPECT_TRUE(m.emplace(kv.substr(0, eq), kv.substr(eq + 1)).second) << "duplicate " << kv;
  }
  return m;
}

Event sample() {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(std::chrono::seconds(1765189500));
  e.interface = "wg0";
  e.peer = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  e.name = "office";
  e.old_status = "up";
  e.status = "down";
  e.endpoint = *Endpoint::parse("192.0.2.2:51820");
  e.reason = "2 probes failed";
  e.allowed_ips = {*IpPrefix::parse("10.0.0.2/32"), *IpPrefix::parse("192.168.5.0/24"),
                   *IpPrefix::parse("fd00::2/128")};
  e.last_handshake = WallTime(std::chrono::seconds(1765189400) + std::chrono::milliseconds(7));
  return e;
}

TEST(ExecEnv, WgMonitorAndWgtrackVariables) {
  const auto env = as_map(exec_environment(sample(), "/usr/bin:/bin"));
  EXPECT_EQ(env.at("PEER_EVENT"), "OFFLINE");
  EXPECT_EQ(env.at("PEER_IFACE"), "wg0");
  EXPECT_EQ(env.at("PEER_PUBKEY"), "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  EXPECT_EQ(env.at("PEER_ENDPOINT"), "192.0.2.2:51820");
  EXPECT_EQ(env.at("PEER_ALLOWED_IPS"), "10.0.0.2, fd00::2");
  EXPECT_EQ(env.at("PEER_HANDSHAKE"), "1765189400");
  EXPECT_EQ(env.at("PEER_ONLINE"), "0");
  EXPECT_EQ(env.at("WGTRACK_EVENT"), "status_change");
  EXPECT_EQ(env.at("WGTRACK_INTERFACE"), "wg0");
  EXPECT_EQ(env.at("WGTRACK_PEER"), "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  EXPECT_EQ(env.at("WGTRACK_NAME"), "office");
  EXPECT_EQ(env.at("WGTRACK_STATUS"), "down");
  EXPECT_EQ(env.at("WGTRACK_OLD_STATUS"), "up");
  EXPECT_EQ(env.at("WGTRACK_ENDPOINT"), "192.0.2.2:51820");
  EXPECT_EQ(env.at("WGTRACK_OLD_ENDPOINT"), "");
  EXPECT_EQ(env.at("WGTRACK_REASON"), "2 probes failed");
  EXPECT_EQ(env.at("WGTRACK_EVENT_JSON").rfind("{\"event\":\"status_change\"", 0), 0u);
  EXPECT_EQ(env.at("PATH"), "/usr/bin:/bin");
  EXPECT_EQ(env.size(), 18u);  // nothing else: the daemon's own environment never leaks
}

TEST(ExecEnv, UnknownContextIsEmptyOrZero) {
  Event e = sample();
  e.type = EventType::kInitialStatus;
  e.status = "idle";
  e.old_status.clear();
  e.endpoint.reset();
  e.allowed_ips = {*IpPrefix::parse("10.1.0.0/16"), *IpPrefix::parse("10.2.0.0/16")};
  e.last_handshake.reset();
  const auto env = as_map(exec_environment(e, kExecDefaultPath));
  EXPECT_EQ(env.at("PEER_EVENT"), "ONLINE");
  EXPECT_EQ(env.at("PEER_ONLINE"), "1");
  EXPECT_EQ(env.at("PEER_ENDPOINT"), "");
  EXPECT_EQ(env.at("PEER_ALLOWED_IPS"), "10.1.0.0/16, 10.2.0.0/16");  // no host IP: all
  EXPECT_EQ(env.at("PEER_HANDSHAKE"), "0");
  EXPECT_EQ(env.at("WGTRACK_OLD_STATUS"), "");
}

TEST(ExecEnv, WgMonitorEventNames) {
  Event e = sample();
  e.type = EventType::kEndpointChanged;
  EXPECT_EQ(wg_monitor_event_name(e), "ROAMING");
  e.type = EventType::kPeerRemoved;
  EXPECT_EQ(wg_monitor_event_name(e), "REMOVED");
  e.type = EventType::kResolveFailed;
  EXPECT_EQ(wg_monitor_event_name(e), "RESOLVE_FAILED");
  e.type = EventType::kStatusChange;
  e.status = "stale";
  EXPECT_EQ(wg_monitor_event_name(e), "ONLINE");
  e.status = "never";
  EXPECT_EQ(wg_monitor_event_name(e), "OFFLINE");
}

TEST(ExecEnv, HostileTextStaysOneLine) {
  Event e = sample();
  e.name = "x\nPEER_ONLINE=1\xe2\x80\xa8";
  e.reason = "a\rb";
  const auto env = as_map(exec_environment(e, kExecDefaultPath));
  EXPECT_EQ(env.at("WGTRACK_NAME"), "x\\nPEER_ONLINE=1\\u2028");
  EXPECT_EQ(env.at("WGTRACK_REASON"), "a\\rb");
  EXPECT_EQ(env.at("WGTRACK_EVENT_JSON").find('\n'), std::string::npos);
  EXPECT_EQ(env.at("PEER_ONLINE"), "0");
}

TEST(ExecEnv, InvalidUtf8IsRepairedInEveryVariable) {
  Event e = sample();
  e.name = testing::kBadUtf8Name;
  e.interface = testing::kBadUtf8Interface;
  const auto env = exec_environment(e, kExecDefaultPath);
  for (const auto& v : env) EXPECT_TRUE(is_valid_utf8(v)) << v;
  const auto vars = as_map(env);
  EXPECT_EQ(vars.at("WGTRACK_NAME"), testing::kRepairedName);
  EXPECT_EQ(vars.at("PEER_IFACE"), testing::kRepairedInterface);
}

}  // namespace
}  // namespace wgtrack
