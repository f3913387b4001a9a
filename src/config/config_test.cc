#include "config/config.h"

#include <gtest/gtest.h>

#include "support/fixtures.h"

namespace wgtrack::config {
namespace {

constexpr char kLaptop[] = "arnx6499M4j0+dWG9m6Z/VQIDfLERvDlhmiwnAihbdA=";
constexpr char kOffice[] = "AV9+a8Wur0g3JAieklLME7UJUaa2lBJSJ2XP9NeAMG4=";

PublicKey key(const char* b64) { return *PublicKey::from_base64(b64); }

ConfigResult parse(std::string_view text) { return parse_config(text, "w.conf"); }

std::string all(const ConfigResult& r) { return format_diagnostics(r.diagnostics); }

// The one diagnostic expected, found by a piece of its message.
const Diagnostic* find(const ConfigResult& r, std::string_view piece) {
  for (const auto& d : r.diagnostics) {
    if (d.message.find(piece) != std::string::npos) return &d;
  }
  return nullptr;
}

TEST(Config, DefaultsOfAnEmptyFile) {
  auto r = parse("");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.diagnostics.empty());
  const Config& c = r.config;
  EXPECT_EQ(c.general.cycle_time, 30s);
  EXPECT_EQ(c.general.loglevel, LogLevel::kInfo);
  EXPECT_EQ(c.general.wireguard_config_dir, "/etc/wireguard");
  EXPECT_EQ(c.general.stats_interval, 3600s);
  EXPECT_EQ(c.general.watch_interval, 2s);
  EXPECT_EQ(c.defaults, Thresholds{});
  EXPECT_EQ(c.defaults.ping_interval, 1u);  // towalink/wgtrack's README (its config.py said 2)
  EXPECT_EQ(c.defaults.ping_failafternum, 2u);
  EXPECT_EQ(c.defaults.cycles_wait, 2u);
  EXPECT_EQ(c.defaults.cycles_checking, 4u);
  EXPECT_EQ(c.defaults.cycles_checkperiod, 2u);
  EXPECT_EQ(c.defaults.cycles_slowcheckingperiod, 20u);
  EXPECT_EQ(c.defaults.handshake_stale, 135s);
  EXPECT_EQ(c.defaults.handshake_down, 180s);
  EXPECT_FALSE(c.defaults.keepalive_expected);
  auto p = c.peer_policy("wg0", key(kLaptop), "");
  EXPECT_TRUE(p.interface_enabled);
  EXPECT_EQ(p.probe_target.mode, ProbeMode::kAuto);
  EXPECT_FALSE(p.name);
}

// seed_wgtrack.conf: /etc/wgtrack.conf as towalink/wgtrack 0.1.11 documents it.
TEST(Config, OriginalWgtrackFixture) {
  auto r = parse_config(testing::read_fixture("tests/fixtures/config/seed_wgtrack.conf"),
                        "seed_wgtrack.conf");
  EXPECT_TRUE(r.ok()) << all(r);
  EXPECT_TRUE(r.diagnostics.empty()) << all(r);
  const Config& c = r.config;
  EXPECT_EQ(c.general.loglevel, LogLevel::kInfo);  // [DEFAULT] loglevel = 20
  EXPECT_EQ(c.general.cycle_time, 30s);
  // towalink/wgtrack ignored [interface:X] sections (datakeeper.initialize sliced the key, not
  // the section name): here [interface:wg0] ping_interval = 0 must really apply.
  EXPECT_EQ(c.interface_thresholds("wg0").ping_interval, 0u);
  EXPECT_EQ(c.peer_policy("wg0", key(kLaptop), "").thresholds.ping_interval, 0u);
  EXPECT_EQ(c.interface_thresholds("wg1").ping_interval, 1u);
  ASSERT_EQ(c.outputs.size(), 1u);
  EXPECT_EQ(c.outputs[0].name, "influx");
  EXPECT_EQ(c.outputs[0].type, "influx_file");
  ASSERT_NE(c.outputs[0].find("filename"), nullptr);
  EXPECT_EQ(c.outputs[0].find("filename")->value, "/var/cache/wg-track_influx.out");
  EXPECT_EQ(c.outputs[0].find("filename")->line, 22u);
  EXPECT_EQ(c.outputs[0].file, "seed_wgtrack.conf");
}

TEST(Config, FullFixture) {
  auto r =
      parse_config(testing::read_fixture("tests/fixtures/config/wgtrack_full.conf"), "full.conf");
  EXPECT_TRUE(r.ok()) << all(r);
  EXPECT_TRUE(r.diagnostics.empty()) << all(r);
  const Config& c = r.config;
  EXPECT_EQ(c.general.cycle_time, 500ms);
  EXPECT_EQ(c.general.loglevel, LogLevel::kDebug);
  EXPECT_TRUE(c.general.wireguard_config_dir_set);
  EXPECT_EQ(c.defaults.handshake_stale, 150s);
  EXPECT_EQ(c.defaults.handshake_down, 5min);
  EXPECT_EQ(c.defaults.ping_failafternum, 3u);  // from [DEFAULT]

  const auto wg0 = c.interface_thresholds("wg0");
  EXPECT_EQ(wg0.ping_interval, 2u);
  EXPECT_EQ(wg0.handshake_down, 4min);
  EXPECT_EQ(wg0.ping_failafternum, 3u);
  EXPECT_TRUE(c.interface_enabled("wg0"));
  EXPECT_FALSE(c.interface_enabled("wg-lab"));

  auto laptop = c.peer_policy("wg0", key(kLaptop), "ignored-friendly-name");
  EXPECT_EQ(laptop.name, "laptop");
  EXPECT_EQ(laptop.thresholds.keepalive_expected, 25s);
  EXPECT_EQ(laptop.thresholds.ping_interval, 2u);  // interface layer below the peer
  ASSERT_EQ(laptop.endpoints.size(), 3u);
  EXPECT_EQ(laptop.endpoints[0].to_string(), "laptop.example.net:51820");
  EXPECT_EQ(laptop.endpoints[1].to_string(), "[2001:db8::2]:51820");

  auto office = c.peer_policy("wg1", key(kOffice), "office");
  EXPECT_EQ(office.name, "office");
  EXPECT_EQ(office.probe_target.mode, ProbeMode::kAddress);
  EXPECT_EQ(office.probe_target.address.address_string(), "192.168.10.1");
  EXPECT_EQ(office.thresholds.ping_failafternum, 5u);
  EXPECT_FALSE(c.peer_policy("wg1", key(kOffice), "").probe_target.mode == ProbeMode::kAddress);

  ASSERT_EQ(c.outputs.size(), 1u);
  EXPECT_EQ(c.outputs[0].type, "file");
  EXPECT_EQ(c.outputs[0].find("path")->value, "/var/log/wgtrack/events.jsonl");
  EXPECT_TRUE(c.outputs[0].inherited.empty());  // ping_failafternum is a policy key
}

TEST(Config, DefaultSectionLayers) {
  auto r = parse(
      "[DEFAULT]\nping_interval = 5\ncycles_wait = 7\nenabled = false\nretention = 3d\n"
      "[general]\ncycles_wait = 1\n"
      "[interface:wg0]\nenabled = true\n"
      "[output:hist]\ntype = history\n");
  EXPECT_TRUE(r.ok()) << all(r);
  EXPECT_TRUE(r.diagnostics.empty()) << all(r);  // retention goes to the outputs
  const Config& c = r.config;
  EXPECT_EQ(c.defaults.ping_interval, 5u);
  EXPECT_EQ(c.defaults.cycles_wait, 1u);  // [general] over [DEFAULT]
  EXPECT_EQ(c.interface_thresholds("wg0").ping_interval, 5u);
  EXPECT_TRUE(c.interface_enabled("wg0"));
  EXPECT_FALSE(c.interface_enabled("wg1"));
  ASSERT_EQ(c.outputs[0].inherited.size(), 1u);
  EXPECT_EQ(c.outputs[0].find("retention")->value, "3d");
  EXPECT_EQ(c.outputs[0].find("retention")->line, 5u);
}

TEST(Config, UnknownDefaultKeyWarnsWithoutOutputs) {
  auto r = parse("[DEFAULT]\nretention = 3d\nname = x\n");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 2u) << all(r);
  EXPECT_NE(find(r, "unknown key 'retention' in [DEFAULT]"), nullptr);
  EXPECT_NE(find(r, "key 'name' does not belong in [DEFAULT]"), nullptr);
}

TEST(Config, PeerLookupByNameAndKey) {
  auto r = parse(std::string("[peer:laptop]\nping_interval = 9\nping_failafternum = 4\n"
                             "[peer:") +
                 kLaptop +
                 "]\nping_interval = 3\n"
                 "[peer:desk]\nprobe_target = none\n"
                 "[peer:" +
                 kOffice + "]\nname = desk\n");
  ASSERT_TRUE(r.ok()) << all(r);
  const Config& c = r.config;
  // By key and, through its wg-quick name, by name: the key section wins where both set.
  auto p = c.peer_policy("wg0", key(kLaptop), "laptop");
  EXPECT_EQ(p.thresholds.ping_interval, 3u);
  EXPECT_EQ(p.thresholds.ping_failafternum, 4u);
  EXPECT_EQ(p.name, "laptop");
  // Without the name only the key section applies.
  EXPECT_EQ(c.peer_policy("wg0", key(kLaptop), "").thresholds.ping_failafternum, 2u);
  // [peer:KEY] name = desk renames the peer; [peer:desk] then applies, [peer:laptop] not.
  auto o = c.peer_policy("wg0", key(kOffice), "laptop");
  EXPECT_EQ(o.name, "desk");
  EXPECT_EQ(o.probe_target.mode, ProbeMode::kNone);
  EXPECT_EQ(o.thresholds.ping_interval, 1u);
}

TEST(Config, PeerPolicyUsesWgQuickNames) {
  auto r = parse("[peer:laptop]\nping_interval = 0\n");
  ASSERT_TRUE(r.ok());
  Config c = r.config;
  auto wg =
      parse_wgquick(testing::read_fixture("tests/fixtures/config/wg0.conf"), "wg0.conf", "wg0");
  c.wgquick.push_back(wg.interface);
  EXPECT_EQ(c.peer_policy("wg0", key(kLaptop)).thresholds.ping_interval, 0u);
  EXPECT_EQ(c.peer_policy("wg0", key(kLaptop)).name, "laptop");
  EXPECT_EQ(c.peer_policy("wg1", key(kLaptop)).thresholds.ping_interval, 1u);
  EXPECT_EQ(c.peer_policy("wg0", key(kOffice)).name, "office");
}

TEST(Config, BadPeerSectionIsSkippedRestKept) {
  auto r = parse(std::string("[general]\ncycle_time = 10\n"
                             "[peer:broken]\nping_interval = often\nname = b\n"  // 3
                             "[peer:") +
                 kLaptop +
                 "]\nping_interval = 0\n"                               // 6
                 "[peer:syntax]\nthis line is bad\n"                    // 8
                 "[peer:]\n"                                            // 10
                 "[peer:ep]\nendpoints = a.example:1, b.example:0\n");  // 11
  EXPECT_TRUE(r.ok()) << all(r);
  EXPECT_EQ(r.config.general.cycle_time, 10s);
  ASSERT_EQ(r.config.peers.size(), 1u);
  EXPECT_EQ(r.config.peers[0].selector, kLaptop);
  const auto* d = find(r, "'often'");
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_EQ(d->severity, Severity::kError);
  EXPECT_EQ(d->line, 4u);
  EXPECT_EQ(d->file, "w.conf");
  EXPECT_NE(d->message.find("for 'ping_interval' in [peer:broken]: expected a whole number"),
            std::string::npos)
      << d->message;
  EXPECT_NE(d->message.find("[peer:broken] is skipped"), std::string::npos);
  EXPECT_NE(find(r, "[peer:syntax] is skipped: it has malformed lines"), nullptr) << all(r);
  EXPECT_NE(find(r, "needs a public key or a peer name"), nullptr) << all(r);
  const auto* ep = find(r, "invalid endpoint 'b.example:0'");
  ASSERT_NE(ep, nullptr) << all(r);
  EXPECT_EQ(ep->line, 12u);
  EXPECT_EQ(count_errors(r.diagnostics), 5u) << all(r);
}

TEST(Config, BadValuesAreFatalErrorsNamingLineKeyValueAndForm) {
  struct Case {
    const char* text;
    const char* piece;
  } cases[] = {
      {"[general]\ncycle_time = fast\n",
       "invalid value 'fast' for 'cycle_time' in [general]: "
       "expected a duration such as 30, 30s, 500ms"},
      {"[general]\ncycle_time = 0.05\n", "from 0.1 s to 1 h"},
      {"[general]\nloglevel = verbose\n", "expected debug, info, warning or error"},
      {"[general]\nping_failafternum = 0\n",
       "'ping_failafternum' in [general]: expected a "
       "whole number of cycles, 1..1000000"},
      {"[interface:wg0]\nhandshake_down = 2x\n", "unknown unit 'x'"},
      {"[general]\nstats_interval = 0.5\n", "at least 1 s, or 0 for off"},
      {"[general]\nwatch_interval = 50ms\n", "from 0.1 s to 1 h, or 0 for off"},
      {"[general]\nwireguard_config_dir =\n", "expected a directory"},
      {"[interface:wg0]\nping_interval = -1\n", "'-1' for 'ping_interval' in [interface:wg0]"},
      {"[interface:this-name-is-too-long]\n", "invalid interface name"},
      {"[output:x]\nformat = y\n", "[output:x] has no 'type = …'"},
      {"[general]\nhandshake_stale = 200\n",
       "handshake_stale (200s) is longer than "
       "handshake_down (3m)"},
  };
  for (const auto& c : cases) {
    auto r = parse(c.text);
    EXPECT_FALSE(r.ok()) << c.text;
    const auto* d = find(r, c.piece);
    ASSERT_NE(d, nullptr) << c.text << "\n" << all(r);
    EXPECT_EQ(d->severity, Severity::kError);
    EXPECT_GE(d->line, 1u);
  }
}

TEST(Config, HandshakeOrderPerInterface) {
  auto r = parse(
      "[interface:wg0]\nhandshake_stale = 150\n[interface:wg1]\nhandshake_stale = "
      "4m\n");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(count_errors(r.diagnostics), 1u) << all(r);
  EXPECT_EQ(r.diagnostics[0].line, 4u);
  auto ok = parse("[general]\nhandshake_down = 10m\n[interface:wg1]\nhandshake_stale = 4m\n");
  EXPECT_TRUE(ok.ok()) << all(ok);
}

TEST(Config, LogLevelsAsPythonLoggingNumbers) {
  for (auto [text, level] : {std::pair{"10", LogLevel::kDebug}, std::pair{"20", LogLevel::kInfo},
                             std::pair{"30", LogLevel::kWarning}, std::pair{"40", LogLevel::kError},
                             std::pair{"WARNING", LogLevel::kWarning}}) {
    auto r = parse(std::string("[general]\nloglevel = ") + text + "\n");
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r.config.general.loglevel, level) << text;
  }
}

TEST(Config, UnknownKeysAndBadBooleansWarn) {
  auto r = parse(
      "[general]\nping_intervall = 3\ncycle_time = 10\ncolour = red\nenabled = yes\n"
      "[interface:wg0]\nenabled = maybe\ncycle_time = 1\n"
      "[interfaces:wg1]\nping_interval = 0\n");
  EXPECT_TRUE(r.ok()) << all(r);
  EXPECT_EQ(count_errors(r.diagnostics), 0u);
  const auto* typo = find(r,
                          "unknown key 'ping_intervall' in [general]; did you mean "
                          "'ping_interval'?");
  ASSERT_NE(typo, nullptr) << all(r);
  EXPECT_EQ(typo->line, 2u);
  EXPECT_EQ(typo->severity, Severity::kWarning);
  const auto* colour = find(r, "unknown key 'colour' in [general]");
  ASSERT_NE(colour, nullptr);
  EXPECT_EQ(colour->message.find("did you mean"), std::string::npos);
  EXPECT_NE(find(r, "key 'enabled' does not belong in [general]"), nullptr) << all(r);
  const auto* b = find(r, "invalid boolean 'maybe' for 'enabled' in [interface:wg0]");
  ASSERT_NE(b, nullptr) << all(r);
  EXPECT_EQ(b->line, 7u);
  EXPECT_TRUE(r.config.interface_enabled("wg0"));
  EXPECT_NE(find(r,
                 "key 'cycle_time' does not belong in [interface:wg0]; it is a key of "
                 "[general]"),
            nullptr)
      << all(r);
  EXPECT_NE(find(r, "unknown section [interfaces:wg1] ignored; did you mean [interface:wg1]?"),
            nullptr)
      << all(r);
  EXPECT_EQ(r.config.defaults.ping_interval, 1u);
}

TEST(Config, ProbeTargets) {
  auto r = parse(
      "[peer:a]\nprobe_target = 10.0.0.2\n[peer:b]\nprobe_target = fd00::2\n"
      "[peer:c]\nprobe_target = AUTO\n[peer:d]\nprobe_target = 0.0.0.0\n"
      "[peer:e]\nprobe_target = 10.0.0.0/24\n");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.config.peers.size(), 3u) << all(r);
  EXPECT_EQ(r.config.peer_policy("x", PublicKey(), "b").probe_target.address.family(),
            IpFamily::kIPv6);
  EXPECT_NE(find(r, "the unspecified address is not a host"), nullptr);
  EXPECT_NE(find(r, "'10.0.0.0/24' for 'probe_target'"), nullptr);
}

TEST(Config, KeepaliveExpectedZeroClearsTheLayerBelow) {
  auto r = parse("[general]\nkeepalive_expected = 10s\n[peer:quiet]\nkeepalive_expected = 0\n");
  ASSERT_TRUE(r.ok()) << all(r);
  EXPECT_EQ(r.config.defaults.keepalive_expected, 10s);
  EXPECT_FALSE(r.config.peer_policy("wg0", PublicKey(), "quiet").thresholds.keepalive_expected);
}

TEST(Config, EndpointRecoveryKeysLayer) {
  auto r = parse(
      "[general]\nprefer = ipv4\nconfirm = 20s\n"           // 1-3
      "[interface:wg1]\nendpoint_recovery = no\n"           // 4-5
      "[peer:field]\nprefer = none\nprobe = handshake\n");  // 6-8
  ASSERT_TRUE(r.ok()) << all(r);
  const Thresholds d = r.config.peer_policy("wg0", PublicKey(), "").thresholds;
  EXPECT_TRUE(d.endpoint_recovery);
  EXPECT_EQ(d.prefer, AddressPreference::kIPv4);
  EXPECT_EQ(d.probe, CandidateCheck::kIcmp);
  EXPECT_EQ(d.confirm, 20s);
  EXPECT_FALSE(r.config.peer_policy("wg1", PublicKey(), "").thresholds.endpoint_recovery);
  const Thresholds f = r.config.peer_policy("wg0", PublicKey(), "field").thresholds;
  EXPECT_EQ(f.prefer, AddressPreference::kNone);
  EXPECT_EQ(f.probe, CandidateCheck::kHandshake);
  EXPECT_EQ(f.confirm, 20s);
}

TEST(Config, DnsServers) {
  auto r = parse("[general]\ndns_servers = 192.0.2.53, [2001:db8::53]:5353 198.51.100.1:54\n");
  ASSERT_TRUE(r.ok()) << all(r);
  ASSERT_EQ(r.config.general.dns_servers.size(), 3u);
  EXPECT_EQ(r.config.general.dns_servers[0].to_string(), "192.0.2.53:53");
  EXPECT_EQ(r.config.general.dns_servers[1].to_string(), "[2001:db8::53]:5353");
  EXPECT_EQ(r.config.general.dns_servers[2].to_string(), "198.51.100.1:54");
  auto bad = parse("[general]\ndns_servers = 192.0.2.53, ns1.example\n");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(find(bad, "dns_servers"), nullptr) << all(bad);
}

TEST(Config, WatchInterval) {
  EXPECT_EQ(parse("[general]\nwatch_interval = 500ms\n").config.general.watch_interval, 500ms);
  EXPECT_EQ(parse("[general]\nwatch_interval = 0\n").config.general.watch_interval, 0s);
  EXPECT_EQ(parse("[DEFAULT]\nwatch_interval = 5\n").config.general.watch_interval, 5s);
}

TEST(Config, EndpointRecoveryBadValuesNameLineAndValue) {
  auto r = parse("[general]\nprefer = ipv5\nprobe = tcp\nconfirm = 0\n");
  EXPECT_FALSE(r.ok());
  const Diagnostic* prefer = find(r, "'ipv5' for 'prefer'");
  ASSERT_NE(prefer, nullptr) << all(r);
  EXPECT_EQ(prefer->line, 2u);
  EXPECT_NE(find(r, "ipv6, ipv4 or none"), nullptr) << all(r);
  EXPECT_NE(find(r, "'tcp' for 'probe'"), nullptr) << all(r);
  const Diagnostic* confirm = find(r, "'0' for 'confirm'");
  ASSERT_NE(confirm, nullptr) << all(r);
  EXPECT_EQ(confirm->line, 4u);
}

TEST(Config, KeyLookingSelectorThatIsNoKeyWarns) {
  auto r = parse("[peer:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=]\nname = x\n");
  EXPECT_TRUE(r.ok());
  EXPECT_NE(find(r, "looks like a public key but is not one"), nullptr) << all(r);
  ASSERT_EQ(r.config.peers.size(), 1u);
  EXPECT_FALSE(r.config.peers[0].key);
}

TEST(Config, SyntaxErrorsOutsidePeersAreFatal) {
  EXPECT_FALSE(parse("cycle_time = 5\n").ok());
  EXPECT_FALSE(parse("[general]\nnonsense\n").ok());
  EXPECT_FALSE(parse("[general\n").ok());
  EXPECT_TRUE(parse("[peer:x]\nnonsense\n").ok());
}

TEST(Config, CrlfBomEndToEnd) {
  auto r = parse(
      "\xEF\xBB\xBF[general]\r\ncycle_time = 0.5 ; sub-second\r\n[interface:wg0]\r\n"
      "ping_interval = 0\r\n");
  ASSERT_TRUE(r.ok()) << all(r);
  EXPECT_TRUE(r.diagnostics.empty()) << all(r);
  EXPECT_EQ(r.config.general.cycle_time, 500ms);
  EXPECT_EQ(r.config.interface_thresholds("wg0").ping_interval, 0u);
}

TEST(Config, DiagnosticsSortedByLine) {
  auto r = parse("[general]\ncycle_time = 1\ncycle_time = x\nnonsense\nbogus = 1\n");
  ASSERT_GE(r.diagnostics.size(), 3u);
  for (std::size_t i = 1; i < r.diagnostics.size(); ++i) {
    EXPECT_LE(r.diagnostics[i - 1].line, r.diagnostics[i].line) << all(r);
  }
  EXPECT_EQ(format_diagnostic(r.diagnostics.front()).substr(0, 9), "w.conf:3:");
}

}  // namespace
}  // namespace wgtrack::config
