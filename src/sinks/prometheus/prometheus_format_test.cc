#include "sinks/prometheus/prometheus_format.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "core/utf8.h"
#include "snapshot/snapshot_builder.h"
#include "support/golden.h"
#include "support/sample_snapshot.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::expect_golden;
using testing::sample_snapshot;

const std::string kDir = "tests/fixtures/prometheus/";

TEST(PrometheusFormatTest, NativeGolden) {
  PrometheusOptions o;
  o.scrape_duration = 2500us;
  expect_golden(kDir + "native.prom", render_prometheus(sample_snapshot(), o));
}

TEST(PrometheusFormatTest, MindFlavorGolden) {
  PrometheusOptions o;
  o.profile = PrometheusProfile::kMindFlavor;
  o.handshake_delay = true;
  expect_golden(kDir + "mindflavor.prom", render_prometheus(sample_snapshot(), o));
}

TEST(PrometheusFormatTest, MdlayherGolden) {
  PrometheusOptions o;
  o.profile = PrometheusProfile::kMdlayher;
  expect_golden(kDir + "mdlayher.prom", render_prometheus(sample_snapshot(), o));
}

TEST(PrometheusFormatTest, EmptySnapshotGolden) {
  expect_golden(kDir + "empty.prom", render_prometheus(Snapshot{}));
}

TEST(PrometheusFormatTest, MindFlavorDelayIsOptIn) {
  PrometheusOptions o;
  o.profile = PrometheusProfile::kMindFlavor;
  const std::string text = render_prometheus(sample_snapshot(), o);
  EXPECT_EQ(text.find("wireguard_latest_handshake_delay_seconds"), std::string::npos);
  EXPECT_NE(text.find("wireguard_latest_handshake_seconds"), std::string::npos);
}

TEST(PrometheusFormatTest, ScrapeDurationOnlyWhenGiven) {
  EXPECT_EQ(render_prometheus(sample_snapshot()).find("wgtrack_scrape_duration_seconds"),
            std::string::npos);
}

// Never-connected peers have no handshake series in any profile (never a 0 timestamp).
TEST(PrometheusFormatTest, NeverConnectedPeerHasNoHandshakeSeries) {
  const std::string never = "MHtodLMC7vYfiweAbRlHSfm9XHCWnT9s0/VfJj2WnEs=";
  for (auto profile :
       {PrometheusProfile::kNative, PrometheusProfile::kMindFlavor, PrometheusProfile::kMdlayher}) {
    PrometheusOptions o;
    o.profile = profile;
    o.handshake_delay = true;
    const std::string text = render_prometheus(sample_snapshot(), o);
    std::size_t pos = 0;
    int lines = 0;
    while ((pos = text.find(never, pos)) != std::string::npos) {
      const std::size_t begin = text.rfind('\n', pos) + 1;
      const std::string line = text.substr(begin, text.find('\n', pos) - begin);
      EXPECT_EQ(line.find("handshake"), std::string::npos) << to_string(profile) << ": " << line;
      ++lines;
      ++pos;
    }
    EXPECT_GT(lines, 0) << to_string(profile);
  }
}

TEST(PrometheusFormatTest, HostileNameIsEscapedOnOneLine) {
  const std::string text = render_prometheus(sample_snapshot());
  EXPECT_NE(text.find(R"(name="evil\"name\\with\nnewline, comma=eq")"), std::string::npos);
  // Every line is a comment or a sample: the newline in the name did not split a line.
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    ASSERT_NE(end, std::string::npos);
    const std::string line = text.substr(begin, end - begin);
    EXPECT_TRUE(line.rfind("# ", 0) == 0 || line.rfind("wgtrack_", 0) == 0) << line;
    begin = end + 1;
  }
}

// Names and interface names that are not UTF-8 come out as U+FFFD in every profile, so the
// scrape stays valid (`promtool check metrics` also reads the golden file).
TEST(PrometheusFormatTest, InvalidUtf8IsRepairedInEveryProfile) {
  using testing::kRepairedInterface;
  using testing::kRepairedName;
  PrometheusOptions native;
  native.scrape_duration = 2500us;
  const std::string text = render_prometheus(testing::utf8_snapshot(), native);
  expect_golden(kDir + "utf8_native.prom", text);
  EXPECT_TRUE(is_valid_utf8(text));
  EXPECT_NE(text.find("wgtrack_peer_info{interface=\"wg0\",public_key=\"rtgrUqCxgnQulBKXP4b/"
                      "ZVW3KXHo2Q01lC7MnPPlNGI=\",name=\"" + kRepairedName + "\","),
            std::string::npos);
  EXPECT_NE(text.find("wgtrack_interface_listen_port{interface=\"" + kRepairedInterface + "\"}"),
            std::string::npos);

  struct Case {
    PrometheusProfile profile;
    std::string name_label;       // a series that carries the peer's name
    std::string interface_label;  // a series that carries the interface name
  };
  for (const Case& c : {
           Case{PrometheusProfile::kMindFlavor,
                ",friendly_name=\"" + kRepairedName + "\"} 123456789012\n",
                "wireguard_sent_bytes_total{interface=\"" + kRepairedInterface + "\","},
           Case{PrometheusProfile::kMdlayher, ",name=\"" + kRepairedName + "\",public_key=\"rtgrUq",
                "wireguard_device_info{device=\"" + kRepairedInterface + "\","},
       }) {
    PrometheusOptions o;
    o.profile = c.profile;
    const std::string other = render_prometheus(testing::utf8_snapshot(), o);
    EXPECT_TRUE(is_valid_utf8(other)) << to_string(c.profile);
    EXPECT_NE(other.find(c.name_label), std::string::npos) << to_string(c.profile);
    EXPECT_NE(other.find(c.interface_label), std::string::npos) << to_string(c.profile);
  }
}

TEST(PrometheusFormatTest, ParsesProfiles) {
  EXPECT_EQ(parse_prometheus_profile("native"), PrometheusProfile::kNative);
  EXPECT_EQ(parse_prometheus_profile("mindflavor"), PrometheusProfile::kMindFlavor);
  EXPECT_EQ(parse_prometheus_profile("mdlayher"), PrometheusProfile::kMdlayher);
  EXPECT_EQ(parse_prometheus_profile("MindFlavor"), std::nullopt);
  EXPECT_EQ(to_string(PrometheusProfile::kMdlayher), "mdlayher");
}

// End to end from the Monitor: a peer removed from the device leaves no series behind, in
// any profile.
TEST(PrometheusFormatTest, RemovedPeerSeriesDisappear) {
  const PublicKey a = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  const PublicKey b = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");
  auto parsed = config::parse_config(
      "[general]\ncycle_time = 1\n[peer:" + a.to_base64() + "]\nname = gone-soon\n", "test.conf");
  ASSERT_TRUE(parsed.ok());
  Monitor monitor(std::make_shared<const config::Config>(std::move(parsed.config)));
  SelfMetrics self;
  Device d;
  d.name = "wg0";
  d.peers.resize(2);
  d.peers[0].public_key = a;
  d.peers[0].endpoint = *Endpoint::parse("192.0.2.2:51820");
  d.peers[1].public_key = b;
  MonoTime mono(100s);
  WallTime wall(1763771123s);
  auto cycle = [&](Device dev) {
    CycleOutput out;
    monitor.run_cycle({{"wg0", std::move(dev)}}, mono, wall, out);
    mono += 1s;
    wall += 1s;
  };
  cycle(d);
  for (auto profile :
       {PrometheusProfile::kNative, PrometheusProfile::kMindFlavor, PrometheusProfile::kMdlayher}) {
    PrometheusOptions o;
    o.profile = profile;
    const std::string before =
        render_prometheus(build_snapshot(monitor, self, mono, wall), o);
    EXPECT_NE(before.find(a.to_base64()), std::string::npos) << to_string(profile);
  }
  d.peers.erase(d.peers.begin());
  cycle(d);
  for (auto profile :
       {PrometheusProfile::kNative, PrometheusProfile::kMindFlavor, PrometheusProfile::kMdlayher}) {
    PrometheusOptions o;
    o.profile = profile;
    const std::string after = render_prometheus(build_snapshot(monitor, self, mono, wall), o);
    EXPECT_EQ(after.find(a.to_base64()), std::string::npos) << to_string(profile);
    EXPECT_EQ(after.find("gone-soon"), std::string::npos) << to_string(profile);
    EXPECT_NE(after.find(b.to_base64()), std::string::npos) << to_string(profile);
  }
}

}  // namespace
}  // namespace wgtrack
