#include "sinks/prometheus/prometheus_text.h"

#include <gtest/gtest.h>

#include "core/utf8.h"
#include "support/utf8_samples.h"

namespace wgtrack::prom {
namespace {

using namespace std::chrono_literals;

std::string label_value(std::string_view v) {
  std::string out;
  append_label_value(out, v);
  return out;
}

TEST(PrometheusTextTest, EscapesBackslashQuoteAndNewlineOnly) {
  EXPECT_EQ(label_value("plain"), "plain");
  EXPECT_EQ(label_value(R"(a\b)"), R"(a\\b)");
  EXPECT_EQ(label_value(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(label_value("two\nlines"), R"(two\nlines)");
  EXPECT_EQ(label_value("tab\tand}{,= stay"), "tab\tand}{,= stay");
  EXPECT_EQ(label_value("\\\"\n"), R"(\\\"\n)");
  EXPECT_EQ(label_value(""), "");
  EXPECT_EQ(label_value("caf\xc3\xa9"), "caf\xc3\xa9");
}

// The text format (0.0.4) requires UTF-8: Prometheus drops the whole scrape over one bad byte.
TEST(PrometheusTextTest, InvalidUtf8BecomesReplacementCharacter) {
  using testing::kBadUtf8Name;
  using testing::kRepairedName;
  const std::string r = testing::kReplacement;
  EXPECT_EQ(label_value(kBadUtf8Name), kRepairedName);
  EXPECT_EQ(label_value("caf\xE9"), "caf" + r);
  // Next to the escapes: the bad bytes are replaced, the escapes stay exact.
  EXPECT_EQ(label_value("\xFF\"\xC3\\\n\x80"), r + "\\\"" + r + "\\\\\\n" + r);
  EXPECT_EQ(label_value("\"M\xC3\xBCller\" \xE6\x9D\xB1\xE4\xBA\xAC"),
            "\\\"M\xC3\xBCller\\\" \xE6\x9D\xB1\xE4\xBA\xAC");
  EXPECT_TRUE(is_valid_utf8(label_value(kBadUtf8Name + "\"\xED\xBF\xBF\n")));
}

TEST(PrometheusTextTest, HelpEscapesBackslashAndNewline) {
  std::string out;
  append_family(out, "m", "gauge", "a\\b\nc \"q\"");
  EXPECT_EQ(out, "# HELP m a\\\\b\\nc \"q\"\n# TYPE m gauge\n");
}

TEST(PrometheusTextTest, Numbers) {
  std::string out;
  append_uint(out, 18446744073709551615u);
  out += ' ';
  append_seconds(out, 1763771123s);
  out += ' ';
  append_seconds(out, 1763771000250ms);
  out += ' ';
  append_seconds(out, 1500us);
  out += ' ';
  append_seconds(out, 1ns);
  out += ' ';
  append_seconds(out, 0ns);
  out += ' ';
  append_seconds(out, -1500ms);
  EXPECT_EQ(out, "18446744073709551615 1763771123 1763771000.25 0.0015 0.000000001 0 -1.5");
}

}  // namespace
}  // namespace wgtrack::prom
