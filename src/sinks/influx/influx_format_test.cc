#include "sinks/influx/influx_format.h"

#include <gtest/gtest.h>

#include "core/utf8.h"
#include "support/golden.h"
#include "support/sample_snapshot.h"

namespace wgtrack {
namespace {

using testing::expect_golden;
using testing::sample_snapshot;

TEST(InfluxFormatTest, WgtrackSchemaGolden) {
  expect_golden("tests/fixtures/influx/wgtrack.lp",
                render_influx(sample_snapshot(), InfluxSchema::kWgtrack));
}

TEST(InfluxFormatTest, TelegrafSchemaGolden) {
  expect_golden("tests/fixtures/influx/telegraf.lp",
                render_influx(sample_snapshot(), InfluxSchema::kTelegraf));
}

// towalink/wgtrack's documented line, with integer counters.
TEST(InfluxFormatTest, OriginalWgtrackLineShape) {
  Snapshot s;
  s.taken_at = WallTime(std::chrono::seconds(1700000000));
  InterfaceSnapshot& i = s.interfaces.emplace_back();
  i.name = "wg0";
  PeerSnapshot& p = i.peers.emplace_back();
  p.key = "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=";
  p.rx_bytes = 123;
  p.tx_bytes = 456;
  p.health = PeerHealth::kUp;
  EXPECT_EQ(render_influx(s),
            "wgtrack,interface=wg0,peer=rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI\\= "
            "transfer_rx=123i,transfer_tx=456i,status=\"up:ok\",is_up=1i "
            "1700000000000000000\n");
}

TEST(InfluxFormatTest, StatusAndIsUpAgree) {
  for (PeerHealth h : kSnapshotStates) {
    const bool up_prefix = wgtrack_schema_status(h).rfind("up", 0) == 0;
    EXPECT_EQ(up_prefix, counts_as_up(h)) << to_string(h);
  }
  EXPECT_EQ(wgtrack_schema_status(PeerHealth::kUp), "up:ok");
  EXPECT_EQ(wgtrack_schema_status(PeerHealth::kDown), "down");
}

TEST(InfluxFormatTest, HostileInterfaceNameStaysOneLine) {
  Snapshot s;
  InterfaceSnapshot& i = s.interfaces.emplace_back();
  i.name = "w g,0=\n\\";
  i.peers.emplace_back().key = "k";
  for (auto schema : {InfluxSchema::kWgtrack, InfluxSchema::kTelegraf}) {
    const std::string text = render_influx(s, schema);
    EXPECT_NE(text.find("w\\ g\\,0\\=\\n\\\\"), std::string::npos) << text;
    const auto lines = std::count(text.begin(), text.end(), '\n');
    EXPECT_EQ(lines, schema == InfluxSchema::kWgtrack ? 1 : 2) << text;
  }
}

// Line protocol is UTF-8: an interface name that is not comes out with U+FFFD in both schemas.
TEST(InfluxFormatTest, InvalidUtf8InterfaceNameIsRepaired) {
  const std::string repaired_tag = "wg" + testing::kReplacement + "1";
  for (auto schema : {InfluxSchema::kWgtrack, InfluxSchema::kTelegraf}) {
    const std::string text = render_influx(testing::utf8_snapshot(), schema);
    EXPECT_TRUE(is_valid_utf8(text)) << to_string(schema);
    const std::string tag = schema == InfluxSchema::kWgtrack ? ",interface=" : ",device=";
    EXPECT_NE(text.find(tag + repaired_tag + ","), std::string::npos) << text;
  }
}

TEST(InfluxFormatTest, ParsesSchemas) {
  EXPECT_EQ(parse_influx_schema("telegraf"), InfluxSchema::kTelegraf);
  EXPECT_EQ(parse_influx_schema("wgtrack"), InfluxSchema::kWgtrack);
  EXPECT_EQ(parse_influx_schema("Telegraf"), std::nullopt);
}

TEST(InfluxFormatTest, EmptySnapshotIsEmpty) { EXPECT_EQ(render_influx(Snapshot{}), ""); }

}  // namespace
}  // namespace wgtrack
