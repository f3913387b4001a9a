#include "events/sink_text.h"

#include <gtest/gtest.h>

#include "core/utf8.h"
#include "support/utf8_samples.h"

namespace wgtrack {
namespace {

Event hostile(std::string name) {
  Event e;
  e.type = EventType::kStatusChange;
  e.interface = "wg0";
  e.name = std::move(name);
  e.status = "down";
  return e;
}

TEST(EventJsonLine, LineTerminatorsAreEscaped) {
  // \n, U+2028, U+2029 and U+0085 (NEL) in a name cannot split the line.
  const std::string line =
      event_json_line(hostile("a\nb\xe2\x80\xa8"
                              "c\xe2\x80\xa9"
                              "d\xc2\x85"
                              "e"));
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find("\xe2\x80\xa8"), std::string::npos);
  EXPECT_EQ(line.find("\xe2\x80\xa9"), std::string::npos);
  EXPECT_EQ(line.find("\xc2\x85"), std::string::npos);
  EXPECT_NE(line.find("\"name\":\"a\\nb\\u2028c\\u2029d\\u0085e\""), std::string::npos) << line;
}

TEST(EventJsonLine, OtherUnicodeIsKept) {
  const std::string line = event_json_line(hostile("caf\xc3\xa9 \xe2\x82\xac \xe2\x80\xa7"));
  EXPECT_NE(line.find("\"name\":\"caf\xc3\xa9 \xe2\x82\xac \xe2\x80\xa7\""), std::string::npos);
}

TEST(SanitizeText, EscapesControlsAndTerminators) {
  EXPECT_EQ(sanitize_text("office"), "office");
  EXPECT_EQ(sanitize_text("a\nb\r\tc"), "a\\nb\\r\\tc");
  EXPECT_EQ(sanitize_text(std::string("x\x1b[31m\x7f", 7)), "x\\x1b[31m\\x7f");
  EXPECT_EQ(sanitize_text("a\xe2\x80\xa8"
                          "b\xc2\x85"),
            "a\\u2028b\\u0085");
  EXPECT_EQ(sanitize_text(std::string("nul\0", 4)), "nul\\x00");
}

TEST(SanitizeText, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(sanitize_text("a\xff"
                          "b\xc3"),
            "a\xef\xbf\xbd"
            "b\xef\xbf\xbd");
  EXPECT_EQ(sanitize_text("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  EXPECT_EQ(sanitize_text("\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9");
}

// The file output writes event_json_line: JSON escapes bad bytes as \ufffd, keeps the rest.
TEST(EventJsonLine, InvalidUtf8IsRepaired) {
  Event e = hostile(testing::kBadUtf8Name);
  e.interface = testing::kBadUtf8Interface;
  const std::string line = event_json_line(e);
  EXPECT_TRUE(is_valid_utf8(line)) << line;
  EXPECT_NE(line.find("\"interface\":\"wg\\ufffd1\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"name\":\"caf\\ufffd \\ufffd \\ufffd\\ufffd \\ufffd\\ufffd "
                      "\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd M\xC3\xBCller \xE6\x9D\xB1\xE4\xBA\xAC "
                      "\xF0\x9F\x9A\x80\""),
            std::string::npos)
      << line;
  EXPECT_EQ(sanitize_text(testing::kBadUtf8Name), testing::kRepairedName);
}

TEST(SanitizeText, CutsAtCharacterBoundaryWithMarker) {
  EXPECT_EQ(sanitize_text("abcdefgh", 8), "abcdefgh");
  EXPECT_EQ(sanitize_text("abcdefghi", 8), "abcde...");
  // "é" is two bytes: never cut in the middle of it.
  EXPECT_EQ(sanitize_text("abcd\xc3\xa9xyz", 8), "abcd...");
  // An escape is never cut in half either.
  EXPECT_EQ(sanitize_text("abcd\nxyzw", 8), "abcd...");
  EXPECT_EQ(sanitize_text("abcdefg", 2), "");
}

}  // namespace
}  // namespace wgtrack
