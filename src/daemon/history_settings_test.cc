#include "daemon/history_settings.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

std::optional<HistoryOptions> parse(const std::string& text, std::vector<config::Diagnostic>& d) {
  auto r = config::parse_config(text, "w.conf");
  d = r.diagnostics;
  return parse_history_settings(r.config, d);
}

TEST(HistorySettings, DefaultsAndEveryKey) {
  std::vector<config::Diagnostic> d;
  auto def = parse("[general]\n", d);
  ASSERT_TRUE(def);
  EXPECT_EQ(def->path, "/var/lib/wgtrack/history.db");
  auto s = parse(
      "[history]\npath = /tmp/h.db\nretention_minutes = 2d\nretention_hours = 30d\n"
      "retention_events = 7d\nmax_size = 1G\n",
      d);
  ASSERT_TRUE(s) << config::format_diagnostics(d);
  EXPECT_EQ(s->path, "/tmp/h.db");
  EXPECT_EQ(s->retention_minutes, 48h);
  EXPECT_EQ(s->retention_hours, 30 * 24h);
  EXPECT_EQ(s->retention_events, 7 * 24h);
  EXPECT_EQ(s->max_size, 1ull << 30);
  EXPECT_TRUE(d.empty()) << config::format_diagnostics(d);
}

TEST(HistorySettings, OffAndErrors) {
  std::vector<config::Diagnostic> d;
  EXPECT_FALSE(parse("[history]\nenabled = no\n", d));
  EXPECT_EQ(config::count_errors(d), 0u);
  EXPECT_FALSE(parse("[history]\nretention_hours = 10s\nmax_size = lots\n", d));
  EXPECT_EQ(config::count_errors(d), 2u) << config::format_diagnostics(d);
  EXPECT_EQ(d.at(0).line, 2u);
}

}  // namespace
}  // namespace wgtrack
