#include "sinks/influx/influx_line.h"

#include <gtest/gtest.h>

#include "support/utf8_samples.h"

namespace wgtrack::influx {
namespace {

std::string tag(std::string_view v) {
  std::string out;
  append_tag_value(out, v);
  return out;
}

TEST(InfluxLineTest, TagValueEscapes) {
  EXPECT_EQ(tag("wg0"), "wg0");
  // A public key: only '=' needs escaping ('+' and '/' are plain).
  EXPECT_EQ(tag("abc+/def="), "abc+/def\\=");
  EXPECT_EQ(tag("a,b=c d"), "a\\,b\\=c\\ d");
  EXPECT_EQ(tag("line\nbreak\r\ttab"), "line\\nbreak\\r\\ttab");
  EXPECT_EQ(tag("mid\\dle"), "mid\\dle");
  EXPECT_EQ(tag("trailing\\"), "trailing\\\\");
}

TEST(InfluxLineTest, StringFieldEscapesQuoteAndBackslash) {
  std::string out;
  append_string_field(out, R"(up:"ok"\)");
  EXPECT_EQ(out, R"("up:\"ok\"\\")");
}

TEST(InfluxLineTest, InvalidUtf8BecomesReplacementCharacter) {
  const std::string r = testing::kReplacement;
  EXPECT_EQ(tag(testing::kBadUtf8Name),
            "caf" + r + "\\ " + r + "\\ " + r + r + "\\ " + r + r + "\\ " + r + r + r + "\\ " + r +
                r + "\\ M\xC3\xBCller\\ \xE6\x9D\xB1\xE4\xBA\xAC\\ \xF0\x9F\x9A\x80");
  EXPECT_EQ(tag("\xFF,\xC3\xBC=\x80\\"), r + "\\,\xC3\xBC\\=" + r + "\\\\");
  EXPECT_EQ(tag("M\xC3\xBCller"), "M\xC3\xBCller");
  std::string out;
  append_string_field(out, "\xE9\"\xE6\x9D\xB1\\\xED\xA0\x80");
  EXPECT_EQ(out, "\"" + r + "\\\"\xE6\x9D\xB1\\\\" + r + r + r + "\"");
}

TEST(InfluxLineTest, IntegersCarryTheSuffixAndClamp) {
  std::string out;
  append_uint_field(out, 123);
  out += ' ';
  append_int_field(out, -5);
  out += ' ';
  append_uint_field(out, 18446744073709551615u);
  EXPECT_EQ(out, "123i -5i 9223372036854775807i");
}

}  // namespace
}  // namespace wgtrack::influx
