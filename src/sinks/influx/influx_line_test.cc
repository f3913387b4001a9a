#include "sinks/influx/influx_line.h"

#include <gtest/gtest.h>

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
