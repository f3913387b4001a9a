#include "core/utf8.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using namespace std::string_literals;

std::string repaired(std::string_view s) {
  std::string out = "<";
  append_valid_utf8(out, s);
  return out;
}

const std::string kR = "\xEF\xBF\xBD";

TEST(Utf8Test, ValidTextIsCopiedUnchanged) {
  for (std::string_view s : {"", "wg0", "M\xC3\xBCller", "\xE6\x9D\xB1\xE4\xBA\xAC",
                             "\xF0\x9F\x9A\x80 rocket", "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBD",
                             "\xED\x9F\xBF", "\xEE\x80\x80"}) {
    EXPECT_TRUE(is_valid_utf8(s)) << s;
    EXPECT_EQ(repaired(s), "<" + std::string(s));
  }
}

TEST(Utf8Test, NulAndControlsAreValidUtf8) {
  // Escaping them is each format's business; they are valid code points.
  EXPECT_TRUE(is_valid_utf8("a\0b\x1b\x7f"s));
  EXPECT_EQ(repaired("a\0b"s), "<a\0b"s);
}

TEST(Utf8Test, EveryInvalidByteBecomesOneReplacementCharacter) {
  EXPECT_EQ(repaired("caf\xE9 latin1"), "<caf" + kR + " latin1");
  // Lone continuation bytes.
  EXPECT_EQ(repaired("\x80"), "<" + kR);
  EXPECT_EQ(repaired("a\xBF\x80z"), "<a" + kR + kR + "z");
  // Truncated sequences: the lead byte and each following continuation byte.
  EXPECT_EQ(repaired("\xE6\x9D"), "<" + kR + kR);
  EXPECT_EQ(repaired("x\xF0\x9F\x9A"), "<x" + kR + kR + kR);
  EXPECT_EQ(repaired("\xC3"), "<" + kR);
  EXPECT_EQ(repaired("\xC3 b"), "<" + kR + " b");
  // Overlong encodings: '/' as C0 AF and E0 80 AF, U+0000 as C0 80, U+FFFF as F0 8F BF BF.
  EXPECT_EQ(repaired("\xC0\xAF"), "<" + kR + kR);
  EXPECT_EQ(repaired("\xE0\x80\xAF"), "<" + kR + kR + kR);
  EXPECT_EQ(repaired("\xC0\x80"), "<" + kR + kR);
  EXPECT_EQ(repaired("\xF0\x8F\xBF\xBF"), "<" + kR + kR + kR + kR);
  // UTF-16 surrogates encoded as UTF-8 (CESU-8): U+D800 and U+DFFF.
  EXPECT_EQ(repaired("\xED\xA0\x80"), "<" + kR + kR + kR);
  EXPECT_EQ(repaired("\xED\xBF\xBF"), "<" + kR + kR + kR);
  // Above U+10FFFF, and bytes that never occur in UTF-8.
  EXPECT_EQ(repaired("\xF4\x90\x80\x80"), "<" + kR + kR + kR + kR);
  EXPECT_EQ(repaired("\xF5\xF8\xFC\xFE\xFF"), "<" + kR + kR + kR + kR + kR);
}

TEST(Utf8Test, ValidNeighboursOfBadBytesSurvive) {
  EXPECT_EQ(repaired("M\xC3\xBCller\xFF\xE6\x9D\xB1\xE4\xBA\xAC\x80\xF0\x9F\x9A\x80"),
            "<M\xC3\xBCller" + kR + "\xE6\x9D\xB1\xE4\xBA\xAC" + kR + "\xF0\x9F\x9A\x80");
}

TEST(Utf8Test, PrefixStopsAtTheFirstBadByteInsideLongAsciiRuns) {
  // The eight-byte ASCII scan must find a bad byte at any offset within a word.
  for (std::size_t at = 0; at < 24; ++at) {
    std::string s(24, 'a');
    s[at] = '\xFF';
    EXPECT_EQ(valid_utf8_prefix(s), at);
    std::string want = "<" + std::string(at, 'a') + kR + std::string(23 - at, 'a');
    EXPECT_EQ(repaired(s), want);
  }
  EXPECT_EQ(valid_utf8_prefix(std::string(1000, 'x')), 1000u);
}

TEST(Utf8Test, RepairedOutputIsAlwaysValid) {
  // Every byte pair and a sample of triples: the result must always pass the validator.
  std::string s(3, '\0');
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += (a >= 0xC0 ? 1 : 17)) {
      for (int c : {0x00, 0x41, 0x80, 0xBF, 0xC3, 0xFF}) {
        s[0] = static_cast<char>(a);
        s[1] = static_cast<char>(b);
        s[2] = static_cast<char>(c);
        std::string out;
        append_valid_utf8(out, s);
        ASSERT_TRUE(is_valid_utf8(out)) << a << ' ' << b << ' ' << c;
      }
    }
  }
}

TEST(Utf8Test, DecodeGivesTheCodePoint) {
  std::uint32_t cp = 0;
  EXPECT_EQ(decode_utf8("\xC3\xBC", 0, cp), 2u);
  EXPECT_EQ(cp, 0xFCu);
  EXPECT_EQ(decode_utf8("\xF0\x9F\x9A\x80", 0, cp), 4u);
  EXPECT_EQ(cp, 0x1F680u);
  EXPECT_EQ(decode_utf8("\xED\xA0\x80", 0, cp), 0u);
}

}  // namespace
}  // namespace wgtrack
