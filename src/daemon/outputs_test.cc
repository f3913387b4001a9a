#include "daemon/outputs.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

config::Config cfg(const std::string& text) {
  auto r = config::parse_config(text, "w.conf");
  EXPECT_TRUE(r.ok()) << config::format_diagnostics(r.diagnostics);
  return r.config;
}

TEST(Outputs, ParsesEachEventSinkType) {
  std::vector<config::Diagnostic> d;
  auto specs = parse_event_outputs(
      cfg("[output:j]\ntype = journal\nidentifier = wgt\n"
          "[output:f]\ntype = file\npath = /tmp/x.jsonl\nmax_size = 1M\nkeep = 3\n"
          "events = status_change, peer_removed\n"
          "[output:x]\ntype = exec\ncommand = /bin/true --a\ntimeout = 3s\nmax_running = 2\n"),
      d);
  ASSERT_EQ(specs.size(), 3u) << config::format_diagnostics(d);
  EXPECT_TRUE(d.empty()) << config::format_diagnostics(d);
  EXPECT_EQ(std::get<JournalSinkOptions>(specs[0].options).identifier, "wgt");
  const auto& f = std::get<FileSinkOptions>(specs[1].options);
  EXPECT_EQ(f.path, "/tmp/x.jsonl");
  EXPECT_EQ(f.max_size, 1u << 20);
  EXPECT_EQ(f.keep, 3u);
  EXPECT_TRUE(specs[1].events.contains(EventType::kStatusChange));
  EXPECT_FALSE(specs[1].events.contains(EventType::kInitialStatus));
  const auto& x = std::get<ExecSinkOptions>(specs[2].options);
  EXPECT_EQ(x.command, "/bin/true --a");
  EXPECT_EQ(x.timeout, std::chrono::seconds(3));
  EXPECT_EQ(x.max_running, 2u);
  // Handshakes are opt-in (noisy); everything else is on by default.
  EXPECT_FALSE(specs[0].events.contains(EventType::kHandshake));
  EXPECT_TRUE(specs[0].events.contains(EventType::kPeerAdded));
}

TEST(Outputs, ErrorsNameFileLineAndValueAndDropTheSection) {
  std::vector<config::Diagnostic> d;
  auto specs = parse_event_outputs(
      cfg("[output:f]\ntype = file\nmax_size = lots\n[output:x]\ntype = exec\n"
          "[output:e]\ntype = journal\nevents = status_chnage\ncolour = red\n"),
      d);
  EXPECT_TRUE(specs.empty());
  const std::string all = config::format_diagnostics(d);
  EXPECT_NE(all.find("w.conf:3: error: max_size = 'lots'"), std::string::npos) << all;
  EXPECT_NE(all.find("needs path"), std::string::npos) << all;
  EXPECT_NE(all.find("needs command"), std::string::npos) << all;
  EXPECT_NE(all.find("w.conf:8: error: events = 'status_chnage'"), std::string::npos) << all;
  EXPECT_NE(all.find("w.conf:9: warning: unknown key 'colour'"), std::string::npos) << all;
}

TEST(Outputs, OriginalWgtrackInfluxSectionIsAnInfluxFileOutput) {
  std::vector<config::Diagnostic> d;
  const auto c = cfg("[output:influx]\nfilename = /tmp/i.out\n[output:t]\ntype = influx_file\n"
                     "path = /tmp/t.out\nschema = telegraf\n");
  EXPECT_TRUE(parse_event_outputs(c, d).empty());
  const auto specs = parse_state_outputs(c, d);
  EXPECT_TRUE(d.empty()) << config::format_diagnostics(d);
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].path, "/tmp/i.out");
  EXPECT_EQ(specs[0].schema, InfluxSchema::kWgtrack);
  EXPECT_EQ(specs[1].schema, InfluxSchema::kTelegraf);
}

TEST(Outputs, TypesNotBuiltYetSaySo) {
  std::vector<config::Diagnostic> d;
  EXPECT_TRUE(parse_state_outputs(cfg("[output:p]\ntype = carrier_pigeon\n"), d).empty());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(config::format_diagnostic(d[0]),
            "w.conf:1: warning: [output:p] type = carrier_pigeon is not supported by this version "
            "of wgtrack yet; ignored");
  d.clear();
  // webhook and influx_http have their own parsers: validate_outputs runs them all.
  EXPECT_TRUE(parse_state_outputs(cfg("[output:w]\ntype = webhook\nurl = x\n"), d).empty());
  EXPECT_TRUE(d.empty());
  validate_outputs(cfg("[output:w]\ntype = webhook\nurl = x\n"), d);
  EXPECT_EQ(config::count_errors(d), 1u) << config::format_diagnostics(d);
  d.clear();
  EXPECT_TRUE(parse_state_outputs(cfg("[output:i]\ntype = influx_file\nschema = csv\n"), d).empty());
  EXPECT_NE(config::format_diagnostics(d).find("needs filename"), std::string::npos);
  EXPECT_NE(config::format_diagnostics(d).find("schema = 'csv'"), std::string::npos);
}

TEST(Outputs, Sizes) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("10M"), 10u << 20);
  EXPECT_EQ(parse_size("512k"), 512u << 10);
  EXPECT_EQ(parse_size("1G"), 1ull << 30);
  EXPECT_FALSE(parse_size("").has_value());
  EXPECT_FALSE(parse_size("M").has_value());
  EXPECT_FALSE(parse_size("10X").has_value());
  EXPECT_FALSE(parse_size("-1").has_value());
  EXPECT_FALSE(parse_size("99999999999999999999G").has_value());
}

}  // namespace
}  // namespace wgtrack
