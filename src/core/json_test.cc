#include "core/json.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

std::string q(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(Json, EscapesQuotesBackslashAndControls) {
  EXPECT_EQ(q("plain"), "\"plain\"");
  EXPECT_EQ(q("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(q("l1\nl2\t\r"), "\"l1\\nl2\\t\\r\"");
  EXPECT_EQ(q(std::string_view("\0\x1b\x7f", 3)), "\"\\u0000\\u001b\\u007f\"");
}

TEST(Json, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(q("Büro ✓ 🛰"), "\"Büro ✓ 🛰\"");
  EXPECT_EQ(q("\xff"), "\"\\ufffd\"");
  EXPECT_EQ(q("\xc3"), "\"\\ufffd\"");            // truncated sequence
  EXPECT_EQ(q("\xe0\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // overlong
  EXPECT_EQ(q("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
}

TEST(Json, Numbers) {
  std::string s;
  append_uint(s, 18446744073709551615ull);
  s += ',';
  append_int(s, -42);
  EXPECT_EQ(s, "18446744073709551615,-42");
}

}  // namespace
}  // namespace wgtrack
